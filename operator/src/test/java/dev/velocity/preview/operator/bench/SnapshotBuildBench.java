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
import java.lang.management.ManagementFactory;
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
 * (in-memory store; {@code -Dbench.s3=filesystem} for the on-disk one). Prints a Markdown table.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.operator.bench.SnapshotBuildBench [files:MB ...] [runs=N]
 *     [warmup=N]
 * </pre>
 *
 * <p>Before the timed runs of each size, {@code warmup} builds of that same project are not timed
 * (after 10 builds of a small project): JIT compilation is a one-time cost of a long-running
 * operator, so the table reports warm builds; the first build of each size is printed apart.
 */
public final class SnapshotBuildBench {
  private SnapshotBuildBench() {}

  public static void main(String[] args) throws Exception {
    List<int[]> sizes = new ArrayList<>();
    int runs = 5;
    int warmup = 3;
    for (String arg : args) {
      if (arg.startsWith("runs=")) {
        runs = Integer.parseInt(arg.substring(5));
      } else if (arg.startsWith("warmup=")) {
        warmup = Integer.parseInt(arg.substring(7));
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
        // -Dbench.s3=filesystem stores on disk, as the local stack does
        EmbeddedS3 s3 =
            EmbeddedS3.start(
                "filesystem".equals(System.getProperty("bench.s3"))
                    ? EmbeddedS3.Options.filesystemStore(s3Dir)
                    : EmbeddedS3.Options.transientStore())) {
      db.createLoginRole("snapshot_bench", "bench", "preview_operator");
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(db.jdbcUrl());
      pool.setUsername("snapshot_bench");
      pool.setPassword("bench");
      // one connection: its backend's CPU time (from /proc) is the database's share of a build
      pool.setMaximumPoolSize(1);
      // a pool, as in the operator: reuse latency must not include connection setup
      HikariDataSource operator = new HikariDataSource(pool);
      Map<String, String> storageEnv =
          new java.util.HashMap<>(
              Map.of(
                  "S3_ENDPOINT", s3.endpoint().toString(),
                  "S3_BUCKET", "bench",
                  "S3_ACCESS_KEY", s3.accessKey(),
                  "S3_SECRET_KEY", s3.secretKey(),
                  "S3_CREATE_BUCKET", "true"));
      // the part size as the operator would read it (S3_PART_SIZE_BYTES), default otherwise
      String partSize = System.getenv("S3_PART_SIZE_BYTES");
      if (partSize != null) {
        storageEnv.put("S3_PART_SIZE_BYTES", partSize);
      }
      StorageConfig storage = StorageConfig.fromEnv(storageEnv);
      SnapshotConfig config = SnapshotConfig.fromEnv(System.getenv());
      try (ObjectStore store = new ObjectStore(storage);
          SnapshotBuilder builder =
              new SnapshotBuilder(
                  operator, store, config, SnapshotMetrics.of(new PrometheusRegistry()))) {
        store.ensureBucket();
        UUID warm = BenchProject.create(db.superuserDataSource());
        BenchProject.load(db.superuserDataSource(), warm, 500, 5 << 20, 1);
        for (int i = 0; i < 10; i++) {
          rebuild(builder, db.superuserDataSource(), warm);
          prune(builder);
        }
        System.out.printf(
            "compression threads %d, deflate level %d, buffer %d MiB, fetch %d rows, CPUs %d;"
                + " %d untimed warm-up builds per size (JIT is a one-time cost)%n%n",
            config.compressionThreads(),
            config.deflateLevel(),
            config.bufferBytes() >> 20,
            config.fetchSize(),
            Runtime.getRuntime().availableProcessors(),
            warmup);
        System.out.println(
            "| files | source MB | zip MB | DB read MB/s (list_current_files) | build+upload s"
                + " (median of "
                + runs
                + ") | MB/s of source | CPU s per build (JVM + PG backend) | reuse p50 ms |"
                + " reuse p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int[] size : sizes) {
          UUID project = BenchProject.create(db.superuserDataSource());
          long source =
              BenchProject.load(
                  db.superuserDataSource(), project, size[0], size[1] * 1_000_000L, 7);
          double readBest = Double.MAX_VALUE;
          double firstRowBest = Double.MAX_VALUE;
          for (int i = 0; i < 3; i++) {
            readBest = Math.min(readBest, readSeconds(operator, project));
            firstRowBest = Math.min(firstRowBest, firstRowSeconds);
          }
          double readMbps = source / 1e6 / readBest;
          System.err.printf(
              Locale.ROOT,
              "%d files: list_current_files first row after %.0f ms (best of 3 reads)%n",
              size[0],
              firstRowBest * 1000);
          double[] seconds = new double[runs];
          double[] cpu = new double[runs];
          double[] pgCpu = new double[runs];
          Snapshot last = null;
          long backend = backendPid(operator);
          double cold = 0;
          for (int w = 0; w < warmup; w++) {
            long t = System.nanoTime();
            rebuild(builder, db.superuserDataSource(), project);
            if (w == 0) {
              cold = (System.nanoTime() - t) / 1e9;
            }
            prune(builder);
          }
          System.err.printf(
              Locale.ROOT,
              "%d files: first build of this size (untimed warm-up) %.2f s%n",
              size[0],
              cold);
          for (int r = 0; r < runs; r++) {
            double jvm0 = jvmCpuSeconds();
            double pg0 = procCpuSeconds(backend);
            long t = System.nanoTime();
            last = rebuild(builder, db.superuserDataSource(), project);
            seconds[r] = (System.nanoTime() - t) / 1e9;
            pgCpu[r] = procCpuSeconds(backend) - pg0;
            cpu[r] = jvmCpuSeconds() - jvm0 + pgCpu[r];
            prune(builder);
          }
          if (System.getProperty("bench.threads") != null) {
            Map<String, Double> before = threadCpu();
            rebuild(builder, db.superuserDataSource(), project);
            Map<String, Double> after = threadCpu();
            after.replaceAll((k, v) -> v - before.getOrDefault(k, 0.0));
            after.values().removeIf(v -> v < 0.005);
            System.err.println("CPU seconds by thread group: " + after);
          }
          Arrays.sort(cpu);
          Arrays.sort(pgCpu);
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
              "| %d | %.1f | %.1f | %.0f | %.2f (runs: %s) | %.0f | %.2f (PG %.2f) | %.1f | %.1f |%n",
              last.files(),
              source / 1e6,
              last.bytes() / 1e6,
              readMbps,
              median,
              Arrays.toString(seconds).replaceAll("(\\.\\d\\d)\\d+", "$1"),
              source / 1e6 / median,
              cpu[runs / 2],
              pgCpu[runs / 2],
              reuse[reuse.length / 2],
              reuse[(int) (reuse.length * 0.99)]);
        }
      } finally {
        operator.close();
      }
    }
  }

  private static long backendPid(DataSource operator) throws Exception {
    try (Connection c = operator.getConnection();
        ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** User + system CPU seconds of process {@code pid} (Linux /proc, 100 ticks a second). */
  private static double procCpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * CPU seconds per thread-name group of this process (Linux /proc/self/task, so GC and JIT threads
   * are included), for a breakdown of one build.
   */
  private static Map<String, Double> threadCpu() {
    Map<String, Double> groups = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
          groups.merge(name.replaceAll("[0-9]+", "N"), cpu, Double::sum);
        } catch (java.io.IOException vanished) {
          // the thread ended while listing
        }
      }
    } catch (java.io.IOException e) {
      return groups;
    }
    return groups;
  }

  private static double jvmCpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1e9
        : 0;
  }

  /**
   * Moves the project to a new revision (same files) and builds its snapshot. (Deleting the stored
   * snapshot and calling the builder again came back as a reuse against S3Proxy's filesystem store;
   * see docs/notes/NOTES-snapshot.md.)
   */
  private static Snapshot rebuild(SnapshotBuilder builder, DataSource superuser, UUID project)
      throws java.sql.SQLException {
    try (Connection c = superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement("update projects set revision = revision + 1 where id = ?")) {
      ps.setObject(1, project);
      ps.executeUpdate();
    }
    Snapshot s = builder.ensure(project);
    if (s.reused()) {
      throw new IllegalStateException("expected a build, got " + s);
    }
    return s;
  }

  /** Time until list_current_files hands over its first row (plpgsql RETURN QUERY). */
  static double firstRowSeconds;

  /**
   * Deletes superseded snapshots (untimed): S3Proxy's in-memory store lives in this JVM's heap, and
   * 41 MB more of it per build would be counted as the builder's GC.
   */
  private static void prune(SnapshotBuilder builder) {
    builder.collectGarbage(java.time.Duration.ZERO, java.util.Set.of());
  }

  /** Time to stream the project's files through JDBC alone, as the builder's query does. */
  private static double readSeconds(DataSource operator, UUID project) throws Exception {
    long t = System.nanoTime();
    long bytes = 0;
    firstRowSeconds = -1;
    try (Connection c = operator.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("select file_path, content from public.list_current_files(?)")) {
        ps.setFetchSize(16);
        ps.setObject(1, project);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (firstRowSeconds < 0) {
              firstRowSeconds = (System.nanoTime() - t) / 1e9;
            }
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
