package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.snapshot.Snapshot;
import dev.velocity.preview.operator.snapshot.SnapshotBuilder;
import dev.velocity.preview.operator.snapshot.SnapshotConfig;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageConfig;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.EmbeddedS3;
import dev.velocity.preview.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Proves the build streams: loads a large project (default 300 MB in 3,000 files), then builds its
 * snapshot in a child JVM limited to {@code -Xmx128m}, and checks the uploaded zip.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.operator.bench.SnapshotHeapBench [MB] [files] [heapMB]
 * </pre>
 */
public final class SnapshotHeapBench {
  private SnapshotHeapBench() {}

  public static void main(String[] args) throws Exception {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int[] heaps =
        java.util.Arrays.stream((args.length > 2 ? args[2] : "128").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    boolean ok = true;
    for (Result result : run(megabytes, files, heaps)) {
      System.out.println(result);
      ok &= result.ok();
    }
    if (!ok) {
      System.exit(1);
    }
  }

  /** What a run found. */
  record Result(
      boolean ok,
      int heapMegabytes,
      long sourceBytes,
      long zipBytes,
      int entries,
      double loadSeconds,
      double buildSeconds,
      String childReport) {}

  static List<Result> run(int megabytes, int files, int... heaps) throws Exception {
    Path s3Dir = Files.createTempDirectory("heap-s3");
    try (TestDatabase db = TestDatabase.create("preview_migrated", Migrations::migrate);
        EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.filesystemStore(s3Dir))) {
      db.createLoginRole("snapshot_heap", "heap", "preview_operator");
      UUID project = BenchProject.create(db.superuserDataSource());
      long t = System.nanoTime();
      long source =
          BenchProject.load(db.superuserDataSource(), project, files, megabytes * 1_000_000L, 3);
      double loadSeconds = (System.nanoTime() - t) / 1e9;
      List<Result> results = new ArrayList<>();
      for (int heap : heaps) {
        try (ObjectStore store = new ObjectStore(storage(s3))) {
          store.ensureBucket();
          for (var o : store.list("snapshots/")) {
            store.delete(o.key());
          }
        }
        results.add(buildInChild(db, s3, project, files, source, loadSeconds, heap));
      }
      return results;
    }
  }

  private static Result buildInChild(
      TestDatabase db,
      EmbeddedS3 s3,
      UUID project,
      int files,
      long source,
      double loadSeconds,
      int heapMegabytes)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMegabytes + "m");
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      command.add("-Dlogback.configurationFile=" + logback);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Child.class.getName());
    command.addAll(
        List.of(
            db.jdbcUrl(),
            "snapshot_heap",
            "heap",
            s3.endpoint().toString(),
            s3.accessKey(),
            s3.secretKey(),
            project.toString()));
    long t = System.nanoTime();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        output.append(line).append('\n');
      }
    }
    int exit = child.waitFor();
    double buildSeconds = (System.nanoTime() - t) / 1e9;
    String report =
        output
            .toString()
            .lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElse(output.toString());
    if (exit != 0) {
      return new Result(false, heapMegabytes, source, 0, 0, loadSeconds, buildSeconds, report);
    }
    // RESULT key sha256 bytes files heapPeak
    String[] f = report.split(" ");
    try (ObjectStore store = new ObjectStore(storage(s3))) {
      MessageDigest digest = ContentHash.newDigest();
      int entries = 0;
      long unpacked = 0;
      try (InputStream raw = store.get(f[1]);
          DigestInputStream hashed = new DigestInputStream(raw, digest);
          ZipInputStream zip = new ZipInputStream(hashed)) {
        byte[] buffer = new byte[1 << 16];
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
          entries++;
          for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
            unpacked += n;
          }
        }
        // the central directory: ZipInputStream stops before it
        hashed.transferTo(java.io.OutputStream.nullOutputStream());
      }
      boolean ok =
          ContentHash.hex(digest.digest()).equals(f[2]) && entries == files && unpacked == source;
      return new Result(
          ok,
          heapMegabytes,
          source,
          Long.parseLong(f[3]),
          entries,
          loadSeconds,
          buildSeconds,
          report);
    }
  }

  static StorageConfig storage(EmbeddedS3 s3) {
    return StorageConfig.fromEnv(
        Map.of(
            "S3_ENDPOINT", s3.endpoint().toString(),
            "S3_BUCKET", "heap",
            "S3_ACCESS_KEY", s3.accessKey(),
            "S3_SECRET_KEY", s3.secretKey(),
            "S3_CREATE_BUCKET", "true"));
  }

  /** The builder, alone in a JVM with a small heap. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(args[0]);
      ds.setUser(args[1]);
      ds.setPassword(args[2]);
      StorageConfig storage =
          StorageConfig.fromEnv(
              Map.of(
                  "S3_ENDPOINT", args[3],
                  "S3_BUCKET", "heap",
                  "S3_ACCESS_KEY", args[4],
                  "S3_SECRET_KEY", args[5],
                  "S3_CREATE_BUCKET", "true"));
      try (ObjectStore store = new ObjectStore(storage);
          SnapshotBuilder builder = new SnapshotBuilder(ds, store, SnapshotConfig.defaults())) {
        store.ensureBucket();
        Snapshot s = builder.ensure(UUID.fromString(args[6]));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP) {
            peak += pool.getPeakUsage().getUsed();
          }
        }
        System.out.printf(
            Locale.ROOT,
            "RESULT %s %s %d %d heapPeakMB=%.1f maxHeapMB=%d buildMs=%d%n",
            s.key(),
            s.sha256(),
            s.bytes(),
            s.files(),
            peak / 1048576.0,
            Runtime.getRuntime().maxMemory() >> 20,
            s.buildTime().toMillis());
      }
    }
  }
}
