package dev.velocity.preview.operator.bench;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.operator.OperatorStack;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Control-plane benchmark (issue 6): PreviewSession created → its Pod created, for many sessions,
 * and the operator's heap with them all live. The operator runs as its own JVM started through
 * {@code Main} (see {@link OperatorProcess}) against the {@link OperatorStack}: migrated embedded
 * PostgreSQL, S3Proxy and the fabric8 mock API server (CRUD mode, with the PreviewSession CRD) in
 * this JVM.
 *
 * <p>A few projects get one warm-up session each (which builds their snapshots); then {@code
 * sessions} CRs are created at {@code rate}/s over those projects, so every measured session finds
 * its snapshot cached. The latency of a session is from its create call returning (the CR is stored
 * and its watch event on its way to the operator) to this JVM's Pod watch seeing the Pod ADDED
 * event: an upper bound of the operator's "CR observed → Pod created".
 *
 * <pre>
 * java -cp … dev.velocity.preview.operator.bench.OperatorReconcileBench \
 *     [sessions=1000] [projects=5] [files=200] [rate=20] [heap=256m] [role=operator] \
 *     [settle=35] [jfr=/path/operator.jfr]
 * </pre>
 */
public final class OperatorReconcileBench {

  private static final String NAMESPACE = "bench";
  private static final Duration ALL_PODS_TIMEOUT = Duration.ofMinutes(10);

  private final Map<String, String> options = new HashMap<>();
  private final Map<String, Long> podSeen = new ConcurrentHashMap<>();

  private OperatorReconcileBench(String[] args) {
    options.putAll(
        Map.of(
            "sessions", "1000",
            "projects", "5",
            "files", "200",
            "rate", "20",
            "heap", "256m",
            "role", "operator",
            "settle", "35"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2 || !options.containsKey(kv[0]) && !kv[0].equals("jfr")) {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
      options.put(kv[0], kv[1]);
    }
  }

  public static void main(String[] args) throws Exception {
    new OperatorReconcileBench(args).run();
    System.exit(0);
  }

  private int number(String name) {
    return Integer.parseInt(options.get(name));
  }

  private void run() throws Exception {
    int sessions = number("sessions");
    int projectCount = number("projects");
    double rate = Double.parseDouble(options.get("rate"));
    Path work = Files.createTempDirectory("operator-bench");
    try (OperatorStack stack = new OperatorStack()) {
      List<UUID> projects = new ArrayList<>();
      for (int p = 0; p < projectCount; p++) {
        projects.add(stack.newProject(files(number("files"), p)));
      }
      KubernetesClient client = stack.cluster.client;
      installCrd(client);
      try (OperatorProcess operator = startOperator(stack, work);
          Watch watch = client.pods().inNamespace(NAMESPACE).watch(new PodAdded())) {
        Report report = new Report(operator);
        report.line("operator pid %d, %s, -Xmx%s", operator.pid(), options.get("role"), heap());
        report.heap("idle, no sessions", operator.heapAfterFullGc());

        long[] warm = createAndWait(client, "warm", projects.size(), 1, projects);
        report.latencies(
            "CR created → Pod seen, warm-up (first session per project: snapshot built)",
            warm,
            null);

        long cpuBefore = operator.cpuTime().toMillis();
        long benchCpuBefore = benchCpuMillis();
        int requestsBefore = stack.cluster.server.getRequestCount();
        Run measured;
        long[] api;
        try (ApiProbe probe = new ApiProbe(client, 250)) {
          report.latencies("API server write, idle", probe.drainAfter(Duration.ofSeconds(3)), null);
          measured = createAt(client, "s", sessions, rate, projects);
          api = probe.drain();
        }
        int requests = stack.cluster.server.getRequestCount() - requestsBefore;
        report.latencies(
            "CR created → Pod seen, " + sessions + " sessions at " + rate + "/s (snapshot cached)",
            measured.latencies,
            measured);
        report.latencies("API server write (ConfigMap create) during the run", api, null);
        report.line(
            "API requests during the run: %d (%.1f per session, incl. this benchmark's creates,"
                + " probes and watches)",
            requests, requests / (double) sessions);
        report.line(
            "operator CPU for the %d sessions: %.1f s (%.1f ms per session)",
            sessions,
            (operator.cpuTime().toMillis() - cpuBefore) / 1000.0,
            (operator.cpuTime().toMillis() - cpuBefore) / (double) sessions);
        report.line(
            "this JVM's CPU (mock API server, S3Proxy, DB proxy, client) meanwhile: %.1f s",
            (benchCpuMillis() - benchCpuBefore) / 1000.0);
        report.phases(phases(client));
        report.heap(sessions + " sessions, just created", operator.heapAfterFullGc());
        Thread.sleep(number("settle") * 1000L);
        report.heap(
            sessions + " sessions, after " + options.get("settle") + " s (≥ one resync)",
            operator.heapAfterFullGc());
        report.phases(phases(client));
        report.line(
            "objects in the namespace: %d Events, %d Secrets, %d Pods",
            client.v1().events().inNamespace(NAMESPACE).list().getItems().size(),
            client.secrets().inNamespace(NAMESPACE).list().getItems().size(),
            client.pods().inNamespace(NAMESPACE).list().getItems().size());
        String metrics = operator.metrics();
        report.histogram(
            "operator: reconcile start → Pod created",
            metrics,
            "preview_session_pod_create_seconds_bucket");
        report.histogram(
            "operator: reconcile duration (all reconciles, incl. status patch)",
            metrics,
            "operator_sdk_controller_execution_seconds_bucket{execution=\"reconcile\",outcome=\"success\"");
        report.operatorMetrics(metrics);
        report.line(
            "operator RSS %d MiB, alive %s", operator.residentBytes() >> 20, operator.alive());
        report.line("operator errors/OOM lines in its log: %s", operator.problems());
        report.print();
      }
    }
  }

  private static long benchCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000;
  }

  /** The generated CRD (crds module), so the mock API server serves the status subresource. */
  private static void installCrd(KubernetesClient client) throws IOException {
    try (InputStream yaml =
        OperatorReconcileBench.class.getResourceAsStream(
            "/META-INF/fabric8/previewsessions.preview.velocity.dev-v1.yml")) {
      if (yaml == null) {
        throw new IllegalStateException("the generated CRD is not on the classpath");
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private String heap() {
    return options.get("heap");
  }

  private OperatorProcess startOperator(OperatorStack stack, Path work) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(stack.env());
    // production defaults for what the test stack shortens
    env.remove("SESSION_RESYNC_SECONDS");
    env.remove("DATABASE_POOL_SIZE");
    env.put("WATCH_NAMESPACES", NAMESPACE);
    // what a pod's service-account config gives fabric8, pointed at the mock API server
    String master = stack.cluster.client.getMasterUrl().toString();
    env.put("KUBERNETES_MASTER", master);
    env.put("KUBERNETES_NAMESPACE", NAMESPACE);
    env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
    env.put("KUBERNETES_HTTP2_DISABLE", "true");
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + heap());
    jvm.add("-XX:+ExitOnOutOfMemoryError");
    jvm.add("-Dlogback.configurationFile=logback-bench.xml");
    jvm.add("-Djava.io.tmpdir=" + work);
    if (options.containsKey("jfr")) {
      jvm.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + options.get("jfr"));
    }
    Path log = work.resolve("operator.log");
    System.out.println("operator output: " + log);
    return OperatorProcess.start(
        jvm, new String[] {"--role=" + options.get("role")}, env, log, Duration.ofSeconds(60));
  }

  private static Map<String, String> files(int count, int project) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", "{\"name\":\"bench-" + project + "\"}");
    for (int i = 1; i < count; i++) {
      files.put("src/module" + i + ".js", "export const v" + i + " = " + i + ";\n".repeat(20));
    }
    return files;
  }

  private long[] createAndWait(
      KubernetesClient client, String prefix, int count, double rate, List<UUID> projects)
      throws Exception {
    return createAt(client, prefix, count, rate * 1000, projects).latencies;
  }

  /** Creates {@code count} sessions, one every {@code 1/rate} s, and waits for all their pods. */
  private Run createAt(
      KubernetesClient client, String prefix, int count, double rate, List<UUID> projects)
      throws Exception {
    long[] created = new long[count];
    long intervalNanos = (long) (1e9 / rate);
    ExecutorService creators = Executors.newFixedThreadPool(4);
    AtomicInteger failures = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int index = i;
      creators.execute(
          () -> {
            try {
              client
                  .resource(session(prefix + index, projects.get(index % projects.size())))
                  .create();
              created[index] = System.nanoTime();
            } catch (RuntimeException e) {
              failures.incrementAndGet();
              System.err.println("create " + prefix + index + " failed: " + e);
            }
          });
    }
    creators.shutdown();
    creators.awaitTermination(5, TimeUnit.MINUTES);
    long createdAll = System.nanoTime();
    long deadline = System.nanoTime() + ALL_PODS_TIMEOUT.toNanos();
    long[] latencies = new long[count];
    for (int i = 0; i < count; i++) {
      Long seen;
      while ((seen = podSeen.get(prefix + i + "-preview")) == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "no pod for " + prefix + i + " after " + ALL_PODS_TIMEOUT);
        }
        Thread.sleep(20);
      }
      latencies[i] = Math.max(0, seen - created[i]);
    }
    long lastPod = 0;
    for (int i = 0; i < count; i++) {
      lastPod = Math.max(lastPod, podSeen.get(prefix + i + "-preview") - start);
    }
    return new Run(
        latencies, Duration.ofNanos(createdAll - start), Duration.ofNanos(lastPod), failures.get());
  }

  private static PreviewSession session(String name, UUID project) {
    PreviewSession session = new PreviewSession();
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    PreviewSessionSpec spec = new PreviewSessionSpec();
    spec.setProjectId(project.toString());
    spec.setImage("node:22-alpine");
    spec.setCommand(List.of("npm", "run", "dev"));
    session.setSpec(spec);
    return session;
  }

  private static Map<SessionPhase, Long> phases(KubernetesClient client) {
    Map<SessionPhase, Long> phases = new java.util.TreeMap<>();
    for (PreviewSession s :
        client.resources(PreviewSession.class).inNamespace(NAMESPACE).list().getItems()) {
      SessionPhase phase = s.getStatus() == null ? null : s.getStatus().getPhase();
      if (phase != null) {
        phases.merge(phase, 1L, Long::sum);
      }
      if (phase != SessionPhase.Starting) {
        System.out.println(
            "  not Starting: "
                + s.getMetadata().getName()
                + " rv "
                + s.getMetadata().getResourceVersion()
                + " "
                + (s.getStatus() == null ? "no status" : s.getStatus().getMessage()));
      }
    }
    return phases;
  }

  /** Records when each Pod is first seen. */
  private final class PodAdded implements Watcher<Pod> {
    @Override
    public void eventReceived(Action action, Pod pod) {
      if (action == Action.ADDED) {
        podSeen.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      System.err.println("pod watch closed: " + cause);
    }
  }

  /** One batch of sessions: per-session latencies (ns) and the batch's wall times. */
  record Run(long[] latencies, Duration creating, Duration untilLastPod, int failures) {}

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
