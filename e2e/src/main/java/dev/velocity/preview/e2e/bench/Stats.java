package dev.velocity.preview.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Latency samples and their percentiles (nearest rank). Thread-safe. */
public final class Stats {
  private final String name;
  private final List<Long> nanos = new ArrayList<>();
  private long missing;

  public Stats(String name) {
    this.name = name;
  }

  public synchronized void add(Duration d) {
    nanos.add(d.toNanos());
  }

  /** A sample that never arrived within the timeout. */
  public synchronized void missing() {
    missing++;
  }

  public String name() {
    return name;
  }

  public synchronized int count() {
    return nanos.size();
  }

  public synchronized long missingCount() {
    return missing;
  }

  /** The {@code p}-th percentile (0 &lt; p &le; 100), or {@code null} without samples. */
  public synchronized Duration percentile(double p) {
    if (nanos.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return Duration.ofNanos(sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))));
  }

  /** A markdown table row: name | n | p50 | p95 | p99 | max. */
  public synchronized String row() {
    return String.format(
        Locale.ROOT,
        "| %s | %d%s | %s | %s | %s | %s |",
        name,
        nanos.size(),
        missing == 0 ? "" : " (+" + missing + " missing)",
        ms(percentile(50)),
        ms(percentile(95)),
        ms(percentile(99)),
        ms(percentile(100)));
  }

  static String ms(Duration d) {
    if (d == null) {
      return "–";
    }
    double ms = d.toNanos() / 1e6;
    return ms >= 1000
        ? String.format(Locale.ROOT, "%.2f s", ms / 1000)
        : String.format(Locale.ROOT, "%.1f ms", ms);
  }
}
