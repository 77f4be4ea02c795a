package dev.velocity.preview.e2e.kubelet;

import dev.velocity.preview.e2e.kubelet.PodEvent.ProbeKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The probes of one container instance: runs each on the shared timer pool, one at a time, and
 * turns results into the container's {@code started} and {@code ready} flags with the probe's
 * success and failure thresholds. Readiness and liveness wait for the startup probe. Until a
 * readiness or startup probe first succeeds it runs every {@code unreadyInterval} instead of every
 * period.
 */
final class ContainerProbes {
  /** What the worker must do after a result. */
  enum Verdict {
    NONE,
    CHANGED,
    RESTART
  }

  private final Container container;
  private final int instance;
  private final LaunchSpec launch;
  private final Prober prober;
  private final ScheduledExecutorService timers;
  private final Consumer<PodEvent> inbox;
  private final Duration unreadyInterval;
  private final Map<ProbeKind, Integer> successes = new EnumMap<>(ProbeKind.class);
  private final Map<ProbeKind, Integer> failures = new EnumMap<>(ProbeKind.class);
  private final Map<ProbeKind, Long> lastCountedFailure = new EnumMap<>(ProbeKind.class);
  private final Map<ProbeKind, ScheduledFuture<?>> pending = new EnumMap<>(ProbeKind.class);
  private boolean everReady;
  private volatile boolean cancelled;

  ContainerProbes(
      Container container,
      int instance,
      LaunchSpec launch,
      Prober prober,
      ScheduledExecutorService timers,
      Consumer<PodEvent> inbox,
      Duration unreadyInterval) {
    this.container = container;
    this.instance = instance;
    this.launch = launch;
    this.prober = prober;
    this.timers = timers;
    this.inbox = inbox;
    this.unreadyInterval = unreadyInterval;
  }

  /** Applies the no-probe defaults to {@code rec} and schedules the first probes. */
  void start(ContainerRecord rec) {
    if (container.getStartupProbe() == null) {
      rec.started = true;
      afterStartup(rec);
    } else {
      schedule(ProbeKind.STARTUP, initialDelay(container.getStartupProbe()));
    }
  }

  private void afterStartup(ContainerRecord rec) {
    if (container.getReadinessProbe() == null) {
      rec.ready = true;
    } else {
      schedule(ProbeKind.READINESS, initialDelay(container.getReadinessProbe()));
    }
    if (container.getLivenessProbe() != null) {
      schedule(ProbeKind.LIVENESS, initialDelay(container.getLivenessProbe()));
    }
  }

  /** Folds a result into {@code rec}; schedules the next run of that probe. */
  Verdict onResult(PodEvent.ProbeDone done, ContainerRecord rec) {
    if (cancelled || done.instance() != instance) {
      return Verdict.NONE;
    }
    ProbeKind kind = done.kind();
    Probe probe = probe(kind);
    boolean ok = done.result().success();
    successes.merge(kind, ok ? 1 : -successes.getOrDefault(kind, 0), Integer::sum);
    if (ok) {
      failures.put(kind, 0);
    } else if (countsAsFailure(kind, probe)) {
      failures.merge(kind, 1, Integer::sum);
    }
    int successThreshold = Objects.requireNonNullElse(probe.getSuccessThreshold(), 1);
    int failureThreshold = Objects.requireNonNullElse(probe.getFailureThreshold(), 3);
    Verdict verdict = Verdict.NONE;
    switch (kind) {
      case STARTUP:
        if (ok) {
          rec.started = true;
          afterStartup(rec);
          return Verdict.CHANGED;
        }
        if (failures.getOrDefault(kind, 0) >= failureThreshold) {
          return Verdict.RESTART;
        }
        break;
      case READINESS:
        if (ok && !rec.ready && successes.get(kind) >= successThreshold) {
          rec.ready = true;
          verdict = Verdict.CHANGED;
        } else if (!ok && rec.ready && failures.getOrDefault(kind, 0) >= failureThreshold) {
          rec.ready = false;
          verdict = Verdict.CHANGED;
        }
        break;
      default:
        if (!ok && failures.getOrDefault(kind, 0) >= failureThreshold) {
          return Verdict.RESTART;
        }
    }
    everReady |= rec.ready;
    // the fast path is for start-up only: a container that was ready once and fails later is
    // probed at its period, as by a kubelet (fast probing of hundreds of overloaded containers
    // would add load exactly when the machine has none to spare)
    boolean settled = kind == ProbeKind.LIVENESS || everReady;
    schedule(kind, settled ? period(probe) : unreadyInterval);
    return verdict;
  }

  /**
   * Failures count at most once per period: a probe re-run early (the fast path until ready) must
   * not use up a startup probe's time budget faster than a kubelet would.
   */
  private boolean countsAsFailure(ProbeKind kind, Probe probe) {
    long now = System.nanoTime();
    Long last = lastCountedFailure.get(kind);
    if (last != null && now - last < period(probe).toNanos()) {
      return false;
    }
    lastCountedFailure.put(kind, now);
    return true;
  }

  void cancel() {
    cancelled = true;
    pending.values().forEach(f -> f.cancel(false));
  }

  private void schedule(ProbeKind kind, Duration delay) {
    if (cancelled) {
      return;
    }
    Probe probe = probe(kind);
    pending.put(
        kind,
        timers.schedule(
            () -> {
              if (!cancelled) {
                Prober.Result r =
                    prober.probe(
                        probe,
                        container,
                        launch.mapping(),
                        launch.containerEnv(),
                        launch.workDir());
                inbox.accept(new PodEvent.ProbeDone(container.getName(), instance, kind, r));
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private Probe probe(ProbeKind kind) {
    switch (kind) {
      case STARTUP:
        return container.getStartupProbe();
      case READINESS:
        return container.getReadinessProbe();
      default:
        return container.getLivenessProbe();
    }
  }

  private static Duration initialDelay(Probe p) {
    return Duration.ofSeconds(Objects.requireNonNullElse(p.getInitialDelaySeconds(), 0));
  }

  private static Duration period(Probe p) {
    return Duration.ofSeconds(Math.max(1, Objects.requireNonNullElse(p.getPeriodSeconds(), 10)));
  }
}
