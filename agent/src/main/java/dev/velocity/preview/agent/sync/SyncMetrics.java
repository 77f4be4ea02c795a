package dev.velocity.preview.agent.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sidecar's metrics, rendered in the Prometheus text format by hand (no metrics library: the
 * agent's dependency set stays at the protocol module).
 */
public final class SyncMetrics {
  private static final double[] BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5
  };

  final LongAdder applied = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final LongAdder gaps = new LongAdder();
  final LongAdder hashMismatches = new LongAdder();
  final LongAdder resyncs = new LongAdder();
  final LongAdder ackFailures = new LongAdder();
  final AtomicLong appliedRevision = new AtomicLong(-1);
  final AtomicLong ackedRevision = new AtomicLong(-1);
  final AtomicLong lagMillis = new AtomicLong();
  private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length];
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder latencySumNanos = new LongAdder();

  /** Empty metrics. */
  public SyncMetrics() {
    for (int i = 0; i < BUCKETS.length; i++) {
      bucketCounts[i] = new LongAdder();
    }
  }

  /** Records one event's apply latency (receipt to on disk). */
  void observeApply(long nanos) {
    latencyCount.increment();
    latencySumNanos.add(nanos);
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        bucketCounts[i].increment();
      }
    }
  }

  /** Events applied so far. */
  public long appliedEvents() {
    return applied.sum();
  }

  /** Event paths refused so far. */
  public long refusedPaths() {
    return refused.sum();
  }

  /** Reconnects so far. */
  public long reconnects() {
    return reconnects.sum();
  }

  /** Gaps detected so far. */
  public long gaps() {
    return gaps.sum();
  }

  /** Re-hydrations so far. */
  public long resyncs() {
    return resyncs.sum();
  }

  /** Hash mismatches so far. */
  public long hashMismatches() {
    return hashMismatches.sum();
  }

  /** The exposition text; {@code connected} and {@code ready} are the current states. */
  String render(boolean connected, boolean ready) {
    StringBuilder sb = new StringBuilder(2048);
    counter(sb, "preview_agent_events_applied_total", "Events applied to the workspace.", applied);
    counter(
        sb,
        "preview_agent_events_duplicate_total",
        "Events skipped as already applied.",
        duplicates);
    counter(
        sb, "preview_agent_refused_paths_total", "Event paths refused (rules, symlinks).", refused);
    counter(sb, "preview_agent_reconnects_total", "Event stream reconnects.", reconnects);
    counter(sb, "preview_agent_gaps_total", "Revision gaps that forced a reconnect.", gaps);
    counter(sb, "preview_agent_hash_mismatches_total", "Content hash mismatches.", hashMismatches);
    counter(sb, "preview_agent_resyncs_total", "Re-hydrations from a snapshot.", resyncs);
    counter(
        sb, "preview_agent_ack_failures_total", "Acks the gateway did not accept.", ackFailures);
    gauge(
        sb,
        "preview_agent_applied_revision",
        "Last revision applied to disk.",
        appliedRevision.get());
    gauge(
        sb,
        "preview_agent_acked_revision",
        "Last revision acked to the gateway.",
        ackedRevision.get());
    gauge(
        sb,
        "preview_agent_lag_seconds",
        "Commit-to-disk lag of the last event (0 when caught up).",
        lagMillis.get() / 1000.0);
    gauge(sb, "preview_agent_connected", "1 while the event stream is open.", connected ? 1 : 0);
    gauge(sb, "preview_agent_ready", "1 while /readyz succeeds.", ready ? 1 : 0);
    String h = "preview_agent_apply_duration_seconds";
    sb.append("# HELP ").append(h).append(" Event receipt to on disk.\n");
    sb.append("# TYPE ").append(h).append(" histogram\n");
    for (int i = 0; i < BUCKETS.length; i++) {
      sb.append(h)
          .append("_bucket{le=\"")
          .append(BUCKETS[i])
          .append("\"} ")
          .append(bucketCounts[i].sum())
          .append('\n');
    }
    long count = latencyCount.sum();
    sb.append(h).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
    sb.append(h).append("_sum ").append(latencySumNanos.sum() / 1e9).append('\n');
    sb.append(h).append("_count ").append(count).append('\n');
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, LongAdder v) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    sb.append(name).append(' ').append(v.sum()).append('\n');
  }

  private static void gauge(StringBuilder sb, String name, String help, double v) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    sb.append(name).append(' ').append(v).append('\n');
  }
}
