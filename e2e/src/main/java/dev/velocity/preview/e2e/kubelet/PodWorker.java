package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod on its own thread, like a kubelet's pod worker: volumes, then the init containers in
 * order (each to successful completion), then the containers, restarting them by the pod's {@code
 * restartPolicy} with exponential backoff, probing them, and reporting every change as the pod's
 * status. All pod state is touched on this thread only; processes, probes and the informers talk to
 * it through its inbox.
 */
final class PodWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  private static final Duration CONFIG_RETRY = Duration.ofMillis(200);
  private static final Duration BACKOFF_RESET_AFTER = Duration.ofSeconds(60);

  /** Thrown inside the worker when the pod is deleted, to unwind to cleanup. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private final Pod pod;
  private final KubeletConfig config;
  private final PodLayout layout;
  private final PodVolumes volumes;
  private final ContainerLauncher launcher;
  private final Prober prober;
  private final ScheduledExecutorService timers;
  private final Executor siteExecutor;
  private final BiConsumer<Pod, PodStatus> statusSink;
  private final BlockingQueue<PodEvent> inbox = new LinkedBlockingQueue<>();
  private final Map<String, ContainerRecord> initRecords = new LinkedHashMap<>();
  private final Map<String, ContainerRecord> records = new LinkedHashMap<>();
  private final Map<String, RunningContainer> running = new ConcurrentHashMap<>();
  private final Map<String, ContainerProbes> probes = new LinkedHashMap<>();
  private final Map<String, Integer> backoffLevel = new LinkedHashMap<>();
  private final Map<String, Long> logOffsets = new LinkedHashMap<>();
  private final Map<String, Long> startNanos = new LinkedHashMap<>();
  private final ContainerListener listener;
  private final PodStatusAssembler assembler = new PodStatusAssembler("127.0.0.1");
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private PodStatus published;
  private boolean sandboxReady;
  private String failedMessage;
  private boolean terminal;

  PodWorker(
      Pod pod,
      KubeletConfig config,
      ClusterObjects objects,
      PortAllocator ports,
      Prober prober,
      ScheduledExecutorService timers,
      Executor siteExecutor,
      BiConsumer<Pod, PodStatus> statusSink,
      ContainerListener listener) {
    this.listener = listener;
    this.pod = pod;
    this.config = config;
    var meta = pod.getMetadata();
    this.layout = PodLayout.of(config.root(), meta.getNamespace(), meta.getName(), meta.getUid());
    EnvResolver env = new EnvResolver(objects, "127.0.0.1", "127.0.0.1");
    this.volumes = new PodVolumes(pod, layout, objects, env);
    this.launcher = new ContainerLauncher(pod, layout, volumes, env, config.images(), ports);
    this.prober = prober;
    this.timers = timers;
    this.siteExecutor = siteExecutor;
    this.statusSink = statusSink;
    for (Container c : pod.getSpec().getInitContainers()) {
      initRecords.put(
          c.getName(), new ContainerRecord(c.getName(), c.getImage(), true, "PodInitializing"));
    }
    String waiting = initRecords.isEmpty() ? "ContainerCreating" : "PodInitializing";
    for (Container c : pod.getSpec().getContainers()) {
      records.put(c.getName(), new ContainerRecord(c.getName(), c.getImage(), false, waiting));
    }
  }

  PodLayout layout() {
    return layout;
  }

  Map<Integer, Integer> ports() {
    return launcher.ports();
  }

  Pod pod() {
    return pod;
  }

  void post(PodEvent event) {
    inbox.add(event);
  }

  /** Completes when every process of the pod is gone and its directories are cleaned up. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /** Live process handles of the pod (for leak checks). */
  List<ProcessHandle> processes() {
    List<ProcessHandle> out = new ArrayList<>();
    for (RunningContainer rc : running.values()) {
      if (rc.id().startsWith("process://")) {
        ProcessHandle.of(Long.parseLong(rc.id().substring("process://".length())))
            .ifPresent(
                p -> {
                  out.add(p);
                  p.descendants().forEach(out::add);
                });
      }
    }
    return out;
  }

  @Override
  public void run() {
    try {
      layout.create();
      publish();
      prepareVolumes();
      for (Container c : pod.getSpec().getInitContainers()) {
        if (!runInit(c)) {
          while (true) {
            handle(next(Long.MAX_VALUE));
          }
        }
      }
      for (Container c : pod.getSpec().getContainers()) {
        start(c, records.get(c.getName()), false);
      }
      publish();
      while (true) {
        handle(next(Long.MAX_VALUE));
      }
    } catch (Stopped stopped) {
      LOG.debug("pod {} stopping", name());
    } catch (RuntimeException e) {
      LOG.error("pod worker {} failed", name(), e);
    } finally {
      shutdown();
    }
  }

  private void prepareVolumes() {
    while (true) {
      try {
        volumes.prepare();
        sandboxReady = true;
        return;
      } catch (ContainerConfigException e) {
        for (ContainerRecord r : allRecords()) {
          r.waiting(
              r.init || initRecords.isEmpty() ? e.reason() : "PodInitializing", e.getMessage());
        }
        publish();
        sleepHandling(CONFIG_RETRY);
      }
    }
  }

  private boolean runInit(Container c) {
    ContainerRecord rec = initRecords.get(c.getName());
    while (true) {
      start(c, rec, true);
      while (rec.state == ContainerRecord.State.RUNNING) {
        handle(next(Long.MAX_VALUE));
      }
      if (rec.state == ContainerRecord.State.TERMINATED && rec.exitCode == 0) {
        return true;
      }
      Duration delay;
      if (rec.state == ContainerRecord.State.TERMINATED) {
        if (Objects.equals(pod.getSpec().getRestartPolicy(), "Never")) {
          failedMessage = "init container " + c.getName() + " exited with code " + rec.exitCode;
          terminal = true;
          publish();
          return false;
        }
        delay = nextBackoff(rec);
        rec.rememberTermination();
        backingOff(rec, delay);
      } else {
        delay = CONFIG_RETRY;
      }
      publish();
      sleepHandling(delay);
    }
  }

  private void start(Container c, ContainerRecord rec, boolean init) {
    try {
      LaunchSpec spec = launcher.resolve(c);
      logOffsets.put(c.getName(), TerminationMessage.logSize(spec.log()));
      RunningContainer rc =
          spec.kind() == ImageTable.Kind.STATIC_SITE
              ? StaticSiteContainer.start(spec.siteRoot(), spec.siteHostPort(), siteExecutor)
              : HostProcess.start(spec.argv(), spec.hostEnv(), spec.workDir(), spec.log());
      running.put(c.getName(), rc);
      startNanos.put(c.getName(), System.nanoTime());
      rec.running(rc.id());
      int instance = rec.instance;
      rc.exited().thenAccept(code -> inbox.add(new PodEvent.Exited(c.getName(), instance, code)));
      if (!init) {
        ContainerProbes p =
            new ContainerProbes(
                c, instance, spec, prober, timers, inbox::add, config.unreadyProbeInterval());
        probes.put(c.getName(), p);
        p.start(rec);
      }
      LOG.debug("pod {} container {} started as {}", name(), c.getName(), rc.id());
    } catch (ContainerConfigException e) {
      rec.waiting(e.reason(), e.getMessage());
      if (!init) {
        timers.schedule(
            () -> inbox.add(new PodEvent.StartDue(c.getName())),
            CONFIG_RETRY.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("pod {} container {} failed to start: {}", name(), c.getName(), e.toString());
      rec.waiting("RunContainerError", e.getMessage());
      if (!init) {
        scheduleStart(c.getName(), nextBackoff(rec));
      }
    }
    publish();
  }

  private void handle(PodEvent event) {
    if (event instanceof PodEvent.Stop) {
      throw new Stopped();
    } else if (event instanceof PodEvent.Exited e) {
      onExit(e);
    } else if (event instanceof PodEvent.ProbeDone p) {
      ContainerProbes cp = probes.get(p.container());
      ContainerRecord rec = records.get(p.container());
      if (cp == null || rec == null || rec.instance != p.instance()) {
        return;
      }
      ContainerProbes.Verdict v = cp.onResult(p, rec);
      if (v == ContainerProbes.Verdict.RESTART) {
        LOG.info(
            "pod {} container {} failed its probe: {}",
            name(),
            p.container(),
            p.result().message());
        RunningContainer rc = running.get(p.container());
        if (rc != null) {
          rc.terminate(grace());
        }
      } else if (v == ContainerProbes.Verdict.CHANGED) {
        publish();
      }
    } else if (event instanceof PodEvent.StartDue s) {
      ContainerRecord rec = records.get(s.container());
      if (rec != null && rec.state != ContainerRecord.State.RUNNING) {
        container(s.container()).ifPresent(c -> start(c, rec, false));
      }
    } else if (event instanceof PodEvent.Refresh r) {
      try {
        if (volumes.refresh(r.kind(), r.name())) {
          LOG.debug("pod {} refreshed {} {}", name(), r.kind(), r.name());
        }
      } catch (ContainerConfigException e) {
        LOG.debug("pod {} keeps old {} {}: {}", name(), r.kind(), r.name(), e.getMessage());
      }
    } else if (event instanceof PodEvent.Kill k) {
      RunningContainer rc = running.get(k.container());
      if (rc != null) {
        rc.kill();
      }
    }
  }

  private void onExit(PodEvent.Exited e) {
    ContainerRecord rec =
        initRecords.containsKey(e.container())
            ? initRecords.get(e.container())
            : records.get(e.container());
    if (rec == null || rec.instance != e.instance() || rec.state != ContainerRecord.State.RUNNING) {
      return;
    }
    running.remove(e.container());
    ContainerProbes p = probes.remove(e.container());
    if (p != null) {
      p.cancel();
    }
    rec.terminated(e.code(), terminationMessage(e));
    Long started = startNanos.get(e.container());
    if (started != null) {
      var meta = pod.getMetadata();
      listener.exited(
          meta.getNamespace(),
          meta.getName(),
          e.container(),
          Duration.ofNanos(System.nanoTime() - started),
          e.code());
    }
    LOG.debug("pod {} container {} exited {}", name(), e.container(), e.code());
    if (rec.init) {
      publish();
      return;
    }
    String policy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && e.code() != 0);
    if (restart) {
      publish();
      Duration delay = nextBackoff(rec);
      rec.rememberTermination();
      backingOff(rec, delay);
      scheduleStart(e.container(), delay);
    } else if (records.values().stream()
        .allMatch(r -> r.state == ContainerRecord.State.TERMINATED)) {
      terminal = true;
    }
    publish();
  }

  /** {@code FallbackToLogsOnError}: a failed container's message is the tail of its log. */
  private String terminationMessage(PodEvent.Exited e) {
    Container spec =
        java.util.stream.Stream.concat(
                pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
            .filter(c -> c.getName().equals(e.container()))
            .findFirst()
            .orElse(null);
    if (e.code() == 0
        || spec == null
        || !"FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy())) {
      return null;
    }
    return TerminationMessage.tail(
        layout.log(e.container()), logOffsets.getOrDefault(e.container(), 0L));
  }

  /**
   * The delay before restarting a container that stopped. As the real kubelet does, the first
   * restart (or the first after a long run) is immediate: its back-off entry only starts then
   * ({@code doBackOff}: not in back-off, so start and record {@code Next}). Only a crash within the
   * back-off waits, doubling from the base up to the cap.
   */
  private Duration nextBackoff(ContainerRecord rec) {
    boolean ranLong =
        rec.startedAt != null
            && rec.finishedAt != null
            && Duration.between(rec.startedAt, rec.finishedAt).compareTo(BACKOFF_RESET_AFTER) > 0;
    int level = ranLong ? 0 : backoffLevel.getOrDefault(rec.name, 0);
    backoffLevel.put(rec.name, level + 1);
    if (level == 0) {
      return Duration.ZERO;
    }
    long millis = config.restartBackoffBase().toMillis() << Math.min(level - 1, 20);
    return Duration.ofMillis(Math.min(millis, config.restartBackoffMax().toMillis()));
  }

  /** {@code CrashLoopBackOff} while a restart waits; nothing while it is immediate. */
  private static void backingOff(ContainerRecord rec, Duration delay) {
    if (!delay.isZero()) {
      rec.waiting(
          "CrashLoopBackOff", "back-off " + delay.toMillis() + "ms restarting failed container");
    }
  }

  private void scheduleStart(String container, Duration delay) {
    timers.schedule(
        () -> inbox.add(new PodEvent.StartDue(container)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sleepHandling(Duration delay) {
    long deadline = System.nanoTime() + delay.toNanos();
    for (long left = delay.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      PodEvent e = next(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      if (e != null) {
        handle(e);
      }
    }
  }

  private PodEvent next(long timeoutMillis) {
    try {
      return inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped();
    }
  }

  private void publish() {
    PodStatus status =
        assembler.assemble(
            initRecords.values(), records.values(), sandboxReady, failedMessage, terminal);
    if (!status.equals(published)) {
      published = status;
      statusSink.accept(pod, status);
    }
  }

  private void shutdown() {
    probes.values().forEach(ContainerProbes::cancel);
    // containers stop in parallel, each with the pod's grace period, as a kubelet stops them
    List<Thread> stops = new ArrayList<>();
    for (RunningContainer rc : running.values()) {
      Thread t = new Thread(() -> rc.terminate(grace()), "kubelet-stop-" + rc.id());
      t.start();
      stops.add(t);
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    if (!config.keepPodDirectories()) {
      try {
        layout.delete();
      } catch (RuntimeException e) {
        LOG.warn("cannot remove {}: {}", layout.root(), e.toString());
      }
    }
    finished.complete(null);
  }

  private Duration grace() {
    long seconds =
        Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(), 30L);
    Duration asked = Duration.ofSeconds(seconds);
    return asked.compareTo(config.maxTerminationGrace()) < 0 ? asked : config.maxTerminationGrace();
  }

  private java.util.Optional<Container> container(String name) {
    return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst();
  }

  private List<ContainerRecord> allRecords() {
    List<ContainerRecord> all = new ArrayList<>(initRecords.values());
    all.addAll(records.values());
    return all;
  }

  private String name() {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
