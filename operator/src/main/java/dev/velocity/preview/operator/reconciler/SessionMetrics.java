package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * Session metrics: start latency, snapshot build time and reuse, phase transitions, and how long
 * the reconciliation that creates a Pod takes to get there.
 */
public final class SessionMetrics {

  private final Histogram startLatency;
  private final Counter snapshots;
  private final Histogram buildTime;
  private final Counter transitions;
  private final Histogram podCreation;
  private final Counter eventsDropped;

  public SessionMetrics(PrometheusRegistry registry) {
    startLatency =
        Histogram.builder()
            .name("preview_session_start_seconds")
            .help("Time from a PreviewSession's creation to its first Ready")
            .classicUpperBounds(0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
            .register(registry);
    snapshots =
        Counter.builder()
            .name("preview_session_snapshots_total")
            .help("Snapshots obtained for new sessions, by outcome (built or reused)")
            .labelNames("outcome")
            .register(registry);
    buildTime =
        Histogram.builder()
            .name("preview_session_snapshot_seconds")
            .help("Time to build, or find and reuse, a new session's snapshot")
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .labelNames("outcome")
            .register(registry);
    transitions =
        Counter.builder()
            .name("preview_session_phase_transitions_total")
            .help("Phase changes of sessions, by the phase entered")
            .labelNames("phase")
            .register(registry);
    podCreation =
        Histogram.builder()
            .name("preview_session_pod_create_seconds")
            .help(
                "Time from the start of the reconciliation that creates a session's Pod to the"
                    + " Pod's creation: the operator's own share of CR to Pod, without queueing")
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    eventsDropped =
        Counter.builder()
            .name("preview_session_events_dropped_total")
            .help("Session Events not posted because the event queue was full")
            .register(registry);
  }

  void eventDropped() {
    eventsDropped.inc();
  }

  void podCreated(Duration sinceReconcileStart) {
    podCreation.observe(sinceReconcileStart.toNanos() / 1e9);
  }

  void snapshotEnsured(SessionSnapshot snapshot) {
    String outcome = snapshot.reused() ? "reused" : "built";
    snapshots.labelValues(outcome).inc();
    buildTime.labelValues(outcome).observe(snapshot.buildTime().toNanos() / 1e9);
  }

  void statusChanged(
      PreviewSession session, PreviewSessionStatus before, PreviewSessionStatus after) {
    if (before == null || before.getPhase() != after.getPhase()) {
      transitions.labelValues(after.getPhase().name()).inc();
    }
    boolean firstReady =
        (before == null || before.getReadyAt() == null) && after.getReadyAt() != null;
    String created = session.getMetadata().getCreationTimestamp();
    if (firstReady && created != null) {
      Duration latency =
          Duration.between(Instant.parse(created), Instant.parse(after.getReadyAt()));
      startLatency.observe(Math.max(0, latency.toMillis()) / 1000.0);
    }
  }
}
