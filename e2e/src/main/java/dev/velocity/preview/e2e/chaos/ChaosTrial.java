package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.e2e.db.CurrentFile;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.e2e.session.Sessions;
import dev.velocity.preview.e2e.stack.LocalStack;
import dev.velocity.preview.e2e.stack.StackOptions;
import dev.velocity.preview.protocol.ContentHash;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One seeded trial on a fresh local stack (short session tokens): projects and sessions, the
 * workload and the fault plan at once, then the checks: every workspace equals {@code
 * list_current_files} of its project byte for byte with no temp file left, the database holds every
 * acknowledged change, and after the sessions are deleted nothing is left behind.
 */
public final class ChaosTrial {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final ChaosParams params;
  private final long seed;
  private final Consumer<String> log;
  private final List<String> findings = new ArrayList<>();

  private ChaosTrial(ChaosParams params, long seed, Consumer<String> log) {
    this.params = params;
    this.seed = seed;
    this.log = log;
  }

  /**
   * Runs trial {@code seed} on a stack whose data lives in {@code dir} (removed afterwards).
   *
   * @param agentJar the agent jar the kubelet runs
   */
  public static TrialResult run(
      ChaosParams params, long seed, Path dir, Path agentJar, Consumer<String> log)
      throws InterruptedException {
    return new ChaosTrial(params, seed, log).run(dir, agentJar);
  }

  private TrialResult run(Path dir, Path agentJar) throws InterruptedException {
    long began = System.nanoTime();
    String ns = "chaos";
    Map<String, String> env = new HashMap<>(ShortTokens.env());
    env.put("WATCH_NAMESPACES", ns);
    StackOptions options = StackOptions.in(dir, agentJar).withNamespace(ns).withOperatorEnv(env);
    try (LocalStack stack = LocalStack.start(options, line -> log.accept("stack: " + line))) {
      ProjectFiles files = stack.files();
      files.setRateLimit(0, 10); // the writers' bursts would otherwise be throttled, not lost
      List<ChaosProject> projects = createProjects(files);
      List<ChaosSession> sessions = startSessions(stack, ns, projects);
      Map<String, Integer> baseline = LeakCheck.processesPerPod(stack, ns);
      log.accept("sessions running; processes per pod " + baseline);

      ChaosWorkload workload = new ChaosWorkload(files, projects, seed);
      ChaosTarget target =
          new ChaosTarget(
              stack,
              ns,
              sessions,
              new GatewayStreamsClosed(stack, "reauth"),
              workload::requestBigWrite);
      ChaosWorkload.Result edits;
      Map<FaultKind, Integer> faults;
      int expired;
      long reauths;
      int failedPhases;
      try (PhaseWatch phases =
              new PhaseWatch(stack.client(), ns, line -> log.accept("phase " + line));
          ShortTokens tokens = ShortTokens.watch(stack.client(), ns);
          FaultInjector injector =
              new FaultInjector(
                  target,
                  new Random(seed),
                  params.faults(),
                  params.minGap(),
                  params.maxGap(),
                  line -> log.accept("fault " + line))) {
        long start = System.nanoTime();
        workload.start();
        injector.start();
        injector.await(params.duration().plus(Duration.ofMinutes(10)));
        awaitEnd(start, tokens);
        edits = workload.stop();
        findings.addAll(injector.errors());
        faults = new EnumMap<>(injector.injected());
        tokens.close();
        faults.put(FaultKind.SHORT_TOKENS, tokens.rotations());
        expired = tokens.expiredDuringTrial();
        reauths = target.reauths().total();
        failedPhases = phases.failedEntries();
      }
      if (workload.failure() != null) {
        findings.add("the workload stopped: " + workload.failure());
      }
      log.accept(
          "workload stopped after "
              + edits.edits()
              + " edits "
              + edits.operations()
              + ", "
              + edits.retries()
              + " retries; faults "
              + faults
              + "; "
              + reauths
              + " streams ended with reauth");

      long lastEdit = System.nanoTime();
      Map<Integer, Map<String, CurrentFile>> expected = currentFiles(files, projects);
      long lostInDatabase = lostInDatabase(projects, expected);
      List<WorkspaceCheck> checks = awaitConvergence(target, expected);
      boolean converged = checks.stream().allMatch(WorkspaceCheck::clean);
      Duration convergence = Duration.ofNanos(System.nanoTime() - lastEdit);
      long lostInWorkspaces = 0;
      for (WorkspaceCheck c : checks) {
        if (!c.clean()) {
          findings.add("not converged: " + c);
          lostInWorkspaces += Math.max(1, c.mismatchedPaths());
        }
      }
      log.accept(
          (converged ? "converged in " : "NOT converged after ")
              + convergence.toMillis()
              + " ms: "
              + checks);
      awaitRunning(stack, ns, sessions);
      findings.addAll(LeakCheck.findings(stack, ns, sessions.size(), baseline));
      deleteSessions(stack, ns, sessions, baseline);
      return new TrialResult(
          seed,
          faults,
          expired,
          reauths,
          failedPhases,
          edits.edits(),
          edits.operations(),
          edits.retries(),
          lostInDatabase,
          lostInWorkspaces,
          converged,
          convergence,
          findings,
          Duration.ofNanos(System.nanoTime() - began));
    }
  }

  private List<ChaosProject> createProjects(ProjectFiles files) {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    PathPool pool = new PathPool();
    List<ChaosProject> out = new ArrayList<>();
    for (int i = 0; i < params.projects(); i++) {
      var owner = files.createUser();
      ChaosProject p = ChaosProject.of(i, owner, files.createProject(owner, "chaos-" + i));
      List<FileChangeRequest> initial = new ArrayList<>();
      for (String path : pool.all()) {
        if (r.nextInt(3) == 0) {
          String content = ContentGenerator.text(r, -1);
          initial.add(FileChangeRequest.upsert(path, "text", content));
          p.acknowledged().put(path, ContentHash.sha256Hex(content));
        }
      }
      files.bulk(owner, p.id(), initial);
      out.add(p);
    }
    return out;
  }

  private List<ChaosSession> startSessions(
      LocalStack stack, String ns, List<ChaosProject> projects) {
    Sessions api = new Sessions(stack.client(), ns);
    List<ChaosSession> out = new ArrayList<>();
    for (int i = 0; i < params.sessions(); i++) {
      // one per project, then the rest round robin from the first: project 0 gets two or more
      ChaosProject p =
          projects.get(i < projects.size() ? i : (i - projects.size()) % projects.size());
      ChaosSession s = new ChaosSession("chaos-" + p.index() + "-" + i, p.index());
      api.create(s.name(), Sessions.spec(p.id()));
      out.add(s);
    }
    for (ChaosSession s : out) {
      api.awaitPhase(s.name(), SessionPhase.Running, START_TIMEOUT);
    }
    return out;
  }

  /**
   * The workload runs at least {@code duration}, and until the first session token has expired (so
   * its stream, unless a fault made it reconnect with the rotated token first, ends with {@code
   * reauth} while edits flow), but not longer than 90 s beyond. Whether a reauth happened depends
   * on timing, so it is counted, not required.
   */
  private void awaitEnd(long start, ShortTokens tokens) throws InterruptedException {
    long min = start + params.duration().toNanos();
    long cap = min + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < cap) {
      boolean tokenExpired =
          tokens.firstExpiry().map(at -> at.plusSeconds(2).isBefore(Instant.now())).orElse(false);
      if (System.nanoTime() >= min && tokenExpired) {
        return;
      }
      Thread.sleep(200);
    }
    findings.add("no session token expired during the trial");
  }

  private Map<Integer, Map<String, CurrentFile>> currentFiles(
      ProjectFiles files, List<ChaosProject> projects) {
    Map<Integer, Map<String, CurrentFile>> out = new HashMap<>();
    for (ChaosProject p : projects) {
      out.put(p.index(), files.listCurrentFiles(p.owner(), p.id()));
    }
    return out;
  }

  /** Acknowledged changes the database does not reflect (by path). */
  private long lostInDatabase(
      List<ChaosProject> projects, Map<Integer, Map<String, CurrentFile>> expected) {
    long lost = 0;
    for (ChaosProject p : projects) {
      Map<String, CurrentFile> db = expected.get(p.index());
      for (var e : p.acknowledged().entrySet()) {
        CurrentFile f = db.get(e.getKey());
        if (f == null || !f.contentHash().equals(e.getValue())) {
          lost++;
          findings.add("project " + p.index() + ": acknowledged " + e.getKey() + " not in the db");
        }
      }
      for (String path : db.keySet()) {
        if (!p.acknowledged().containsKey(path)) {
          lost++;
          findings.add("project " + p.index() + ": " + path + " in the db but deleted");
        }
      }
    }
    return lost;
  }

  private List<WorkspaceCheck> awaitConvergence(
      ChaosTarget target, Map<Integer, Map<String, CurrentFile>> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + params.convergenceTimeout().toNanos();
    while (true) {
      List<WorkspaceCheck> checks = new ArrayList<>();
      for (ChaosSession s : target.sessions()) {
        checks.add(
            WorkspaceCheck.of(
                s.name(), target.workspace(s).orElse(null), expected.get(s.project())));
      }
      if (checks.stream().allMatch(WorkspaceCheck::clean) || System.nanoTime() > deadline) {
        return checks;
      }
      Thread.sleep(200);
    }
  }

  /** Every session must be Running again once its workspace converged. */
  private void awaitRunning(LocalStack stack, String ns, List<ChaosSession> sessions) {
    Sessions api = new Sessions(stack.client(), ns);
    for (ChaosSession s : sessions) {
      try {
        api.awaitPhase(s.name(), SessionPhase.Running, Duration.ofSeconds(60));
      } catch (IllegalStateException e) {
        findings.add("not Running at the end: " + e.getMessage());
      }
    }
  }

  /** Deletes every session and checks that pods, objects and processes go with them. */
  private void deleteSessions(
      LocalStack stack, String ns, List<ChaosSession> sessions, Map<String, Integer> baseline)
      throws InterruptedException {
    Sessions api = new Sessions(stack.client(), ns);
    sessions.forEach(s -> api.delete(s.name()));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> left = LeakCheck.findings(stack, ns, 0, baseline);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      left = LeakCheck.findings(stack, ns, 0, baseline);
    }
    for (String l : left) {
      findings.add("after deleting every session: " + l);
    }
  }
}
