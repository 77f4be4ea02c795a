package dev.velocity.preview.operator.snapshot;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;

/** Snapshot metrics, registered once per registry and shared by every builder. */
public final class SnapshotMetrics {
  private static final Map<PrometheusRegistry, SnapshotMetrics> BY_REGISTRY = new WeakHashMap<>();

  final Histogram buildSeconds;
  final Counter reused;
  final Counter failures;
  final Counter sourceBytes;

  private SnapshotMetrics(PrometheusRegistry registry) {
    buildSeconds =
        Histogram.builder()
            .name("preview_snapshot_build_seconds")
            .help("Time to build and upload one snapshot")
            .classicOnly()
            .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180)
            .register(registry);
    reused =
        Counter.builder()
            .name("preview_snapshot_reused_total")
            .help("Snapshot requests answered with an existing snapshot")
            .register(registry);
    failures =
        Counter.builder()
            .name("preview_snapshot_failures_total")
            .help("Snapshot requests that failed, by reason")
            .labelNames("reason")
            .register(registry);
    sourceBytes =
        Counter.builder()
            .name("preview_snapshot_source_bytes_total")
            .help("Bytes of project files packed into new snapshots")
            .register(registry);
  }

  /** The snapshot metrics of {@code registry}, registering them on first use. */
  public static synchronized SnapshotMetrics of(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, SnapshotMetrics::new);
  }

  /** The snapshot metrics of the default registry. */
  public static SnapshotMetrics defaults() {
    return of(PrometheusRegistry.defaultRegistry);
  }
}
