package dev.velocity.preview.operator.bench;

import dev.velocity.preview.crds.SessionPhase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The operator benchmark's printed report: latency percentiles, heap, and the operator's own
 * metrics.
 */
final class Report {

  private final List<String> lines = new ArrayList<>();
  private final OperatorProcess operator;

  Report(OperatorProcess operator) {
    this.operator = operator;
  }

  void line(String format, Object... args) {
    String line = String.format(Locale.ROOT, format, args);
    lines.add(line);
    System.out.println("  " + line);
  }

  void heap(String when, long bytes) {
    line("heap after full GC, %s: %.1f MiB", when, bytes / 1048576.0);
  }

  void latencies(String what, long[] nanos, OperatorReconcileBench.Run run) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    line(
        "%s: p50 %s, p90 %s, p99 %s, max %s (n=%d)",
        what,
        OperatorReconcileBench.ms(percentile(sorted, 50)),
        OperatorReconcileBench.ms(percentile(sorted, 90)),
        OperatorReconcileBench.ms(percentile(sorted, 99)),
        OperatorReconcileBench.ms(sorted[sorted.length - 1]),
        sorted.length);
    if (run != null) {
      line(
          "  creating took %.1f s; all %d pods existed %.1f s after the first create"
              + " (%.1f sessions/s end to end); failed creates %d",
          run.creating().toMillis() / 1000.0,
          nanos.length,
          run.untilLastPod().toMillis() / 1000.0,
          nanos.length / (run.untilLastPod().toMillis() / 1000.0),
          run.failures());
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  void phases(Map<SessionPhase, Long> phases) {
    line("session phases: %s", phases);
  }

  void operatorMetrics(String metrics) {
    for (String series :
        List.of(
            "operator_sdk_reconciliations_started_total{retry=\"false\"}",
            "operator_sdk_reconciliations_started_total{retry=\"true\"}",
            "operator_sdk_reconciliations_failed_total",
            "operator_sdk_controller_execution_seconds_count{execution=\"reconcile\"",
            "operator_sdk_controller_execution_seconds_sum{execution=\"reconcile\"",
            "preview_session_snapshots_total{outcome=\"built\"}",
            "preview_session_snapshots_total{outcome=\"reused\"}",
            "preview_session_snapshot_seconds_count{outcome=\"reused\"}",
            "preview_session_snapshot_seconds_sum{outcome=\"reused\"}",
            "preview_tokens_minted_total",
            "preview_session_events_dropped_total",
            "jvm_threads_current",
            "jvm_memory_used_bytes{area=\"nonheap\"}")) {
      OptionalDouble value = OperatorProcess.sample(metrics, series);
      line("  %s = %s", series, value.isPresent() ? format(value.getAsDouble()) : "absent");
    }
  }

  /**
   * Quantiles of a Prometheus classic histogram, as the upper bound of the bucket each falls in:
   * {@code series} is the {@code _bucket} name with the labels before {@code le}.
   */
  void histogram(String what, String metrics, String series) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "^"
                    + java.util.regex.Pattern.quote(series)
                    + "[^}]*le=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)",
                java.util.regex.Pattern.MULTILINE)
            .matcher(metrics);
    List<double[]> buckets = new ArrayList<>();
    while (m.find()) {
      double le =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      buckets.add(new double[] {le, Double.parseDouble(m.group(2))});
    }
    if (buckets.isEmpty()) {
      line("%s: no samples", what);
      return;
    }
    double total = buckets.get(buckets.size() - 1)[1];
    StringBuilder text = new StringBuilder();
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      for (double[] b : buckets) {
        if (b[1] >= q * total) {
          text.append(String.format(Locale.ROOT, " p%.0f ≤ %s s,", q * 100, format(b[0])));
          break;
        }
      }
    }
    line("%s (from its histogram, n=%s):%s", what, format(total), text);
  }

  private static String format(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.4f", value);
  }

  /** Prints the collected lines again as one block (the run's output is interleaved with logs). */
  void print() {
    System.out.println();
    System.out.println("=== operator control-plane benchmark ===");
    lines.forEach(System.out::println);
    System.out.println("operator PID was " + operator.pid());
  }
}
