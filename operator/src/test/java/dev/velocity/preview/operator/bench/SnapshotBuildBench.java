package dev.velocity.preview.operator.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.velocity.preview.operator.snapshot.Snapshot;
import dev.velocity.preview.operator.snapshot.SnapshotBuilder;
import dev.velocity.preview.operator.snapshot.SnapshotConfig;
import dev.velocity.preview.operator.snapshot.SnapshotMetrics;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageConfig;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.EmbeddedS3;
import dev.velocity.preview.testkit.TestDatabase;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Snapshot build + upload throughput and reuse latency against embedded PostgreSQL and S3Proxy
 * (filesystem store). Prints a Markdown table.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.operator.bench.SnapshotBuildBench [files:MB ...] [runs=N]
 * </pre>
 */
public final class SnapshotBuildBench {
  private SnapshotBuildBench() {}

  public static void main(String[] args) throws Exception {
    List<int[]> sizes = new ArrayList<>();
    int runs = 3;
    for (String arg : args) {
      if (arg.startsWith("runs=")) {
        runs = Integer.parseInt(arg.substring(5));
      } else {
        String[] p = arg.split(":");
        sizes.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
      }
    }
    if (sizes.isEmpty()) {
      sizes.add(new int[] {1000, 10});
      sizes.add(new int[] {10_000, 100});
    }
    Path s3Dir = Files.createTempDirectory("bench-s3");
    try (TestDatabase db = TestDatabase.create("preview_migrated", Migrations::migrate);
        EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.filesystemStore(s3Dir))) {
      db.createLoginRole("snapshot_bench", "bench", "preview_operator");
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(db.jdbcUrl());
      pool.setUsername("snapshot_bench");
      pool.setPassword("bench");
      pool.setMaximumPoolSize(4);
      // a pool, as in the operator: reuse latency must not include connection setup
      HikariDataSource operator = new HikariDataSource(pool);
      StorageConfig storage =
          StorageConfig.fromEnv(
              Map.of(
                  "S3_ENDPOINT", s3.endpoint().toString(),
                  "S3_BUCKET", "bench",
                  "S3_ACCESS_KEY", s3.accessKey(),
                  "S3_SECRET_KEY", s3.secretKey(),
                  "S3_CREATE_BUCKET", "true"));
      SnapshotConfig config = SnapshotConfig.fromEnv(System.getenv());
      try (ObjectStore store = new ObjectStore(storage);
          SnapshotBuilder builder =
              new SnapshotBuilder(
                  operator, store, config, SnapshotMetrics.of(new PrometheusRegistry()))) {
        store.ensureBucket();
        UUID warm = BenchProject.create(db.superuserDataSource());
        BenchProject.load(db.superuserDataSource(), warm, 500, 5 << 20, 1);
        for (int i = 0; i < 3; i++) {
          rebuild(builder, store, warm);
        }
        System.out.printf(
            "compression threads %d, deflate level %d, buffer %d MiB, fetch %d rows, CPUs %d%n%n",
            config.compressionThreads(),
            config.deflateLevel(),
            config.bufferBytes() >> 20,
            config.fetchSize(),
            Runtime.getRuntime().availableProcessors());
        System.out.println(
            "| files | source MB | zip MB | DB read MB/s (list_current_files) | build+upload s"
                + " (median of "
                + runs
                + ") | MB/s of source | reuse p50 ms | reuse p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int[] size : sizes) {
          UUID project = BenchProject.create(db.superuserDataSource());
          long source =
              BenchProject.load(
                  db.superuserDataSource(), project, size[0], size[1] * 1_000_000L, 7);
          double readMbps = source / 1e6 / readSeconds(operator, project);
          double[] seconds = new double[runs];
          Snapshot last = null;
          for (int r = 0; r < runs; r++) {
            long t = System.nanoTime();
            last = rebuild(builder, store, project);
            seconds[r] = (System.nanoTime() - t) / 1e9;
          }
          Arrays.sort(seconds);
          double median = seconds[runs / 2];
          double[] reuse = new double[200];
          for (int i = 0; i < reuse.length; i++) {
            long t = System.nanoTime();
            Snapshot s = builder.ensure(project);
            reuse[i] = (System.nanoTime() - t) / 1e6;
            if (!s.reused()) {
              throw new IllegalStateException("expected reuse");
            }
          }
          Arrays.sort(reuse);
          System.out.printf(
              Locale.ROOT,
              "| %d | %.1f | %.1f | %.0f | %.2f (runs: %s) | %.0f | %.1f | %.1f |%n",
              last.files(),
              source / 1e6,
              last.bytes() / 1e6,
              readMbps,
              median,
              Arrays.toString(seconds).replaceAll("(\\.\\d\\d)\\d+", "$1"),
              source / 1e6 / median,
              reuse[reuse.length / 2],
              reuse[(int) (reuse.length * 0.99)]);
        }
      } finally {
        operator.close();
      }
    }
  }

  /** Deletes the current snapshot (if any) and builds it again. */
  private static Snapshot rebuild(SnapshotBuilder builder, ObjectStore store, UUID project) {
    for (var o : store.list("snapshots/" + project + "/")) {
      store.delete(o.key());
    }
    Snapshot s = builder.ensure(project);
    if (s.reused()) {
      throw new IllegalStateException("expected a build");
    }
    return s;
  }

  /** Time to stream the project's files through JDBC alone, as the builder's query does. */
  private static double readSeconds(DataSource operator, UUID project) throws Exception {
    long t = System.nanoTime();
    long bytes = 0;
    try (Connection c = operator.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("select file_path, content from public.list_current_files(?)")) {
        ps.setFetchSize(16);
        ps.setObject(1, project);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            bytes += rs.getBytes(2).length;
          }
        }
      }
      c.rollback();
    }
    if (bytes == 0) {
      throw new IllegalStateException("no files read");
    }
    return (System.nanoTime() - t) / 1e9;
  }
}
