package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.e2e.Args;
import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.e2e.kubelet.RunningPod;
import dev.velocity.preview.e2e.session.Sessions;
import dev.velocity.preview.e2e.stack.LocalStack;
import dev.velocity.preview.e2e.stack.StackCli;
import dev.velocity.preview.e2e.stack.StackOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench}: many sessions over several projects on the local stack, then a steady stream of
 * edits through the SQL functions. Reports percentiles of CR created → Running (uncached and cached
 * snapshot), CR → SnapshotReady, hydration (the init container process, JVM start included), edit
 * committed → file on disk, edit → served by the dev server; the stack JVM's heap, the agents'
 * memory and event deliveries per second; and checks that every workspace ends equal to the
 * database.
 */
public final class BenchCommand {
  private final BenchParams params;
  private final Console console;
  private final Stats crUncached = new Stats("CR created → Running, uncached snapshot");
  private final Stats crCached = new Stats("CR created → Running, cached snapshot");
  private final Stats crReopened =
      new Stats("CR created → Running, cached snapshot, opened while all sessions run");
  private final Stats snapshotUncached =
      new Stats("CR created → SnapshotReady, uncached (snapshot build)");
  private final Stats hydration =
      new Stats("hydration (init container process, JVM start included)");
  private final List<BenchProjectState> projects = new ArrayList<>();
  private final List<BenchSession> sessions = new ArrayList<>();

  private BenchCommand(BenchParams params, Console console) {
    this.params = params;
    this.console = console;
  }

  public static int run(Args args, Console console) throws Exception {
    BenchParams params = BenchParams.from(args);
    boolean inProcess = args.string("control-plane", "process").equals("in-process");
    StackOptions options =
        StackCli.options(args)
            .withSeparateProcesses(!inProcess)
            .withMaxConnections(Math.max(200, params.sessions() / 2 + 100));
    args.requireAllRead();
    console.line("bench: " + params.commandLine());
    try (LocalStack stack = LocalStack.start(options, s -> console.line("  " + s))) {
      return new BenchCommand(params, console).bench(stack);
    }
  }

  private int bench(LocalStack stack) throws Exception {
    ProjectFiles files = stack.files();
    String ns = stack.options().namespace();
    boolean rateLimitOff = params.rate() / (double) params.projects() > 25;
    if (rateLimitOff) {
      // one owner per project; above 30 writes/s per user the database's rate limit would refuse
      files.setRateLimit(0, 10);
    }
    createProjects(files);
    stack
        .kubelet()
        .addListener(
            (n, pod, container, ran, code) -> {
              if (container.equals("hydrate") && code == 0) {
                hydration.add(ran);
              }
            });
    Sessions api = new Sessions(stack.client(), ns);
    try (SessionClock clock = new SessionClock(stack.client(), ns)) {
      if (params.startEvery().isZero()) {
        startSessions(stack, api, clock);
      } else {
        startSteadily(stack, api, clock);
      }
      reopen(api, clock);
    }
    WindowedStats window = new WindowedStats("edit committed → file on disk, this window");
    EditLoad load = new EditLoad(params, files, projects, sessions, console, window);
    double sentBefore = Resources.eventsSent(stack);
    long loadStart = System.nanoTime();
    SoakSampler soak = new SoakSampler(stack, params, console, window);
    soak.start();
    EditLoad.Result edits;
    try {
      edits = load.run();
    } finally {
      soak.close();
    }
    // a restarted gateway starts its counter from zero
    double sentPerSecond =
        soak.gatewayRestarts() > 0
            ? Double.NaN
            : (Resources.eventsSent(stack) - sentBefore) / ((System.nanoTime() - loadStart) / 1e9);
    Resources resources = Resources.measure(stack, edits, sentPerSecond);
    Convergence convergence = Convergence.check(files, projects, sessions, console);
    String report =
        BenchReport.render(
                params,
                rateLimitOff,
                List.of(crUncached, crCached, crReopened, snapshotUncached, hydration),
                edits,
                resources,
                convergence)
            + soak.table();
    console.print(report);
    if (params.out() != null) {
      Files.writeString(params.out(), report);
      console.line("report written to " + params.out());
    }
    return convergence.mismatched() == 0 ? 0 : 1;
  }

  private void createProjects(ProjectFiles files) {
    long t = System.nanoTime();
    for (int p = 0; p < params.projects(); p++) {
      UUID owner = files.createUser();
      UUID project = files.createProject(owner, "bench-" + p);
      List<FileChangeRequest> content = BenchProject.files(params.files(), params.bytes(), p);
      for (int i = 0; i < content.size(); i += 500) {
        files.bulk(owner, project, content.subList(i, Math.min(content.size(), i + 500)));
      }
      projects.add(new BenchProjectState(p, owner, project, content));
      console.progress("creating projects", p + 1, params.projects());
    }
    console.done(
        params.projects() + " projects of " + params.files() + " files",
        Duration.ofNanos(System.nanoTime() - t));
  }

  private void startSessions(LocalStack stack, Sessions api, SessionClock clock) throws Exception {
    // first session of each project alone: the snapshot is built for it (uncached)
    for (BenchProjectState p : projects) {
      String name = "b-" + p.index() + "-0";
      clock.creating(name);
      api.create(name, Sessions.spec(p.project()));
      Duration d =
          clock.awaitRunning(name, Duration.ofMinutes(3)).orElseThrow(() -> stuck(api, name));
      crUncached.add(d);
      clock.snapshotReady(name).ifPresent(snapshotUncached::add);
      sessions.add(session(stack, api, name, p));
      console.progress(
          "first session of each project (uncached snapshot)", p.index() + 1, projects.size());
    }
    // the rest, a few at a time: the snapshot of their project's revision exists (cached)
    Semaphore slots = new Semaphore(params.startConcurrency());
    ExecutorService starters = Executors.newFixedThreadPool(params.startConcurrency());
    List<java.util.concurrent.Future<BenchSession>> started = new ArrayList<>();
    for (int i = projects.size(); i < params.sessions(); i++) {
      BenchProjectState p = projects.get(i % projects.size());
      String name = "b-" + p.index() + "-" + (i / projects.size());
      slots.acquire();
      started.add(
          starters.submit(
              () -> {
                try {
                  clock.creating(name);
                  api.create(name, Sessions.spec(p.project()));
                  crCached.add(
                      clock
                          .awaitRunning(name, Duration.ofMinutes(5))
                          .orElseThrow(() -> stuck(api, name)));
                  return session(stack, api, name, p);
                } finally {
                  slots.release();
                }
              }));
    }
    int done = 0;
    for (var f : started) {
      sessions.add(f.get());
      console.progress("more sessions (cached snapshot)", ++done, started.size());
    }
    starters.shutdown();
    starters.awaitTermination(1, TimeUnit.MINUTES);
  }

  /**
   * One session created every {@code --start-every}, the first session of every project first
   * (uncached: its snapshot is built for it), then the others (cached); each is timed on its own,
   * however many are still starting.
   */
  private void startSteadily(LocalStack stack, Sessions api, SessionClock clock) throws Exception {
    ExecutorService starters = Executors.newCachedThreadPool();
    List<java.util.concurrent.Future<BenchSession>> started = new ArrayList<>();
    long interval = params.startEvery().toNanos();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < params.sessions(); i++) {
        BenchProjectState p = projects.get(i % projects.size());
        boolean first = i < projects.size();
        String name = "b-" + p.index() + "-" + (i / projects.size());
        long wait = t0 + i * interval - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        clock.creating(name);
        api.create(name, Sessions.spec(p.project()));
        started.add(
            starters.submit(
                () -> {
                  Duration d =
                      clock
                          .awaitRunning(name, Duration.ofMinutes(5))
                          .orElseThrow(() -> stuck(api, name));
                  if (first) {
                    crUncached.add(d);
                    clock.snapshotReady(name).ifPresent(snapshotUncached::add);
                  } else {
                    crCached.add(d);
                  }
                  return session(stack, api, name, p);
                }));
        console.progress("sessions created", i + 1, params.sessions());
      }
      int done = 0;
      for (var f : started) {
        sessions.add(f.get());
        console.progress("sessions running", ++done, started.size());
      }
    } finally {
      starters.shutdownNow();
    }
  }

  /**
   * {@code --reopen} extra sessions, one at a time, each deleted once Running: the project's
   * snapshot exists at its revision (no edits yet), so this is the cached start of a user who opens
   * a preview while the machine hosts all the other sessions.
   */
  private void reopen(Sessions api, SessionClock clock) throws Exception {
    for (int k = 0; k < params.reopen(); k++) {
      BenchProjectState p = projects.get(k % projects.size());
      String name = "b-" + p.index() + "-reopen-" + k;
      clock.creating(name);
      api.create(name, Sessions.spec(p.project()));
      crReopened.add(
          clock.awaitRunning(name, Duration.ofMinutes(5)).orElseThrow(() -> stuck(api, name)));
      api.delete(name);
      console.progress("sessions opened on a cached snapshot", k + 1, params.reopen());
      if (!params.startEvery().isZero()) {
        TimeUnit.NANOSECONDS.sleep(params.startEvery().toNanos());
      }
    }
  }

  private static BenchSession session(
      LocalStack stack, Sessions api, String name, BenchProjectState p) {
    PreviewSession s = api.get(name).orElseThrow();
    RunningPod pod =
        stack
            .kubelet()
            .pod(s.getMetadata().getNamespace(), s.getStatus().getPodName())
            .orElseThrow();
    Path workspace = pod.hostPath("dev-server", "/workspace").orElseThrow();
    URI site = URI.create("http://127.0.0.1:" + pod.hostPort(3000).orElseThrow() + "/");
    return new BenchSession(name, p, workspace, site);
  }

  private static IllegalStateException stuck(Sessions api, String name) {
    return new IllegalStateException(
        "session "
            + name
            + " did not reach Running: "
            + api.get(name).map(Sessions::describe).orElse("absent"));
  }
}
