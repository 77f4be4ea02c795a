package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.realtime.GatewayFixture;
import dev.velocity.preview.operator.realtime.SseLoadClient;
import dev.velocity.preview.testkit.EmbeddedPostgresServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared parts of the gateway benchmarks: a gateway on embedded PostgreSQL, streams, stats. */
final class GatewayBenchSupport {
  private GatewayBenchSupport() {}

  /**
   * A gateway allowing {@code perSession} streams per session (benchmarks share tokens); other
   * {@code GATEWAY_*} variables of this process's environment apply (e.g. {@code
   * GATEWAY_IO_THREADS}).
   */
  static GatewayFixture gateway(int perSession) throws Exception {
    return gateway(perSession, null);
  }

  /** {@link #gateway(int)} on a database of {@code server} (the shared test server if null). */
  static GatewayFixture gateway(int perSession, EmbeddedPostgresServer server) throws Exception {
    Map<String, String> env = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("GATEWAY_")) {
                env.put(k, v);
              }
            });
    env.put("GATEWAY_PORT", "0");
    env.put("GATEWAY_MAX_STREAMS_PER_SESSION", Integer.toString(perSession));
    GatewayConfig config = GatewayConfig.fromEnv(env);
    return server == null
        ? GatewayFixture.start(config, b -> {})
        : GatewayFixture.start(server, config, b -> {});
  }

  /**
   * An embedded PostgreSQL with the test server's settings plus {@code track_commit_timestamp}, so
   * {@code pg_xact_commit_timestamp(xmin)} tells when each writing transaction committed.
   */
  static EmbeddedPostgresServer commitTimestampServer() {
    return EmbeddedPostgresServer.start(
        new EmbeddedPostgresServer.Options(
            0,
            null,
            Map.of(
                "fsync", "off",
                "synchronous_commit", "off",
                "full_page_writes", "off",
                "max_connections", "300",
                "shared_buffers", "256MB",
                "max_wal_size", "2GB",
                "track_commit_timestamp", "on")));
  }

  /**
   * Per revision of {@code project} (index), the commit time of the transaction that wrote it, in
   * epoch microseconds (0 where unknown).
   */
  static long[] commitMicros(GatewayFixture gw, UUID project, int maxRevision) throws Exception {
    long[] out = new long[maxRevision + 1];
    try (var c = gw.superuser().getConnection();
        var ps =
            c.prepareStatement(
                "select revision, (extract(epoch from pg_xact_commit_timestamp(xmin))"
                    + " * 1000000)::bigint from project_file_events where project_id = ?")) {
      ps.setObject(1, project);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          long r = rs.getLong(1);
          if (r <= maxRevision) {
            out[(int) r] = rs.getLong(2);
          }
        }
      }
    }
    return out;
  }

  /** Opens {@code n} streams after revision {@code since}, {@code perSession} per token. */
  static List<SseLoadClient.Stream> open(
      GatewayFixture gw,
      SseLoadClient client,
      UUID project,
      int n,
      int perSession,
      long since,
      int capacity)
      throws Exception {
    String path = "/v1/projects/" + project + "/events";
    List<SseLoadClient.Stream> streams = new ArrayList<>(n);
    String token = null;
    long openBefore = gw.server.metrics().streamsOpen();
    for (int i = 0; i < n; i++) {
      if (i % perSession == 0) {
        token = gw.session(project).token();
      }
      streams.add(client.open(gw.server.port(), path, token, since, capacity));
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (gw.server.metrics().streamsOpen() < openBefore + n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + gw.server.metrics().streamsOpen() + " of " + n + " streams opened");
      }
      Thread.sleep(20);
    }
    return streams;
  }

  /** A temporary file of tokens for {@code streams} streams, {@code perSession} per token. */
  static Path tokenFile(GatewayFixture gw, UUID project, int streams, int perSession)
      throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < (streams + perSession - 1) / perSession; i++) {
      tokens.add(gw.session(project).token());
    }
    Path file = Files.createTempFile("gateway-tokens", ".txt");
    Files.write(file, tokens);
    return file;
  }

  /**
   * Starts {@link GatewayLoadClientMain} in a child JVM ({@code nice -n 19} if asked) opening
   * {@code streams} streams of {@code project}; with {@code arrivals} it records every revision up
   * to {@code expect} there.
   */
  static Process startLoadClient(
      GatewayFixture gw,
      UUID project,
      Path tokens,
      int streams,
      long expect,
      Path arrivals,
      boolean nice)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    if (nice) {
      cmd.addAll(List.of("nice", "-n", "19"));
    }
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            GatewayLoadClientMain.class.getName(),
            Integer.toString(gw.server.port()),
            "/v1/projects/" + project + "/events",
            tokens.toString(),
            Integer.toString(streams),
            Long.toString(expect)));
    if (arrivals != null) {
      cmd.add(arrivals.toString());
    }
    return new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  /** The {@code q} quantile (0..1) of {@code values} (sorted in place). */
  static double quantile(long[] values, double q) {
    Arrays.sort(values);
    if (values.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * values.length) - 1;
    return values[Math.max(0, Math.min(values.length - 1, i))];
  }

  /** The gateway's commit→send histogram: per-bucket counts, upper bounds in the last row. */
  static double[][] lagHistogram(GatewayFixture gw) {
    for (var snapshot : gw.server.metrics().registry().scrape()) {
      if (snapshot.getMetadata().getName().equals("preview_gateway_commit_to_send_seconds")) {
        var point =
            ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) snapshot)
                .getDataPoints()
                .get(0);
        var buckets = point.getClassicBuckets();
        double[][] out = new double[2][buckets.size()];
        for (int i = 0; i < buckets.size(); i++) {
          out[0][i] = buckets.getCount(i);
          out[1][i] = buckets.getUpperBound(i);
        }
        return out;
      }
    }
    throw new IllegalStateException("no commit-to-send histogram");
  }

  /** "p50 ≤ x ms, p99 ≤ y ms" from the difference of two histogram snapshots. */
  static String lagQuantiles(double[][] before, double[][] after) {
    int n = after[0].length;
    double[] counts = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      counts[i] = after[0][i] - before[0][i];
      total += counts[i];
    }
    return "p50 <= "
        + bound(counts, after[1], total, 0.5)
        + " ms, p99 <= "
        + bound(counts, after[1], total, 0.99)
        + " ms ("
        + (long) total
        + " sends; histogram bucket bounds)";
  }

  private static String bound(double[] counts, double[] bounds, double total, double q) {
    double seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= q * total) {
        return Double.isInfinite(bounds[i]) ? "+Inf" : String.valueOf(bounds[i] * 1000);
      }
    }
    return "?";
  }

  /** Load average and CPU count, to read the numbers in context. */
  static String machine() {
    String load = "?";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      // not on Linux: leave it unknown
    }
    return Runtime.getRuntime().availableProcessors()
        + " CPUs, Java "
        + System.getProperty("java.version")
        + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MiB, loadavg "
        + load;
  }

  /** CPU time of this process so far, in milliseconds. */
  static long processCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000;
  }
}
