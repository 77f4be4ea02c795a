package dev.velocity.preview.operator.snapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Snapshot settings, built from the process environment.
 *
 * @param urlTtl lifetime of presigned snapshot URLs ({@code SNAPSHOT_URL_TTL_SECONDS}, 300)
 * @param retention how long unreferenced snapshots are kept ({@code SNAPSHOT_RETENTION_SECONDS},
 *     604800)
 * @param deflateLevel zlib level ({@code SNAPSHOT_DEFLATE_LEVEL}, 1: fast); 0 stores every file
 * @param compressionThreads threads deflating entries in parallel ({@code
 *     SNAPSHOT_COMPRESSION_THREADS}, the number of CPUs)
 * @param bufferBytes input bytes in flight per build ({@code SNAPSHOT_BUFFER_BYTES}, 16 MiB)
 * @param fetchSize rows fetched per round trip ({@code SNAPSHOT_FETCH_ROWS}, 16)
 * @param tempDir where large binary files are staged ({@code SNAPSHOT_TEMP_DIR}, {@code
 *     java.io.tmpdir})
 * @param concurrentBuilds builds of different projects that may run at once ({@code
 *     SNAPSHOT_CONCURRENT_BUILDS}, 2); more wait. Each holds its input buffer and up to two upload
 *     parts in memory (~48 MiB with the defaults), and the deflate threads are shared anyway, so
 *     more parallel builds only add heap, not throughput
 * @param fastDeflate {@code SNAPSHOT_DEFLATE_ENCODER}: {@code fast} (default) deflates files in
 *     memory with the built-in {@link FastDeflater} (≈ 1.5–2× the speed of zlib level 1, archives ≈
 *     5–10 % larger on source text); {@code zlib} uses zlib at {@code SNAPSHOT_DEFLATE_LEVEL}
 */
public record SnapshotConfig(
    Duration urlTtl,
    Duration retention,
    int deflateLevel,
    int compressionThreads,
    long bufferBytes,
    int fetchSize,
    Path tempDir,
    int concurrentBuilds,
    boolean fastDeflate) {

  /** Validates; every message names the environment variable at fault. */
  public SnapshotConfig {
    if (urlTtl == null || urlTtl.getSeconds() < 10 || urlTtl.getSeconds() > 7 * 24 * 3600) {
      throw new IllegalArgumentException(
          "SNAPSHOT_URL_TTL_SECONDS must be between 10 and 604800, got " + seconds(urlTtl));
    }
    if (retention == null || retention.getSeconds() < 60) {
      throw new IllegalArgumentException(
          "SNAPSHOT_RETENTION_SECONDS must be at least 60, got " + seconds(retention));
    }
    if (deflateLevel < 0 || deflateLevel > 9) {
      throw new IllegalArgumentException(
          "SNAPSHOT_DEFLATE_LEVEL must be between 0 and 9, got " + deflateLevel);
    }
    if (compressionThreads < 1 || compressionThreads > 64) {
      throw new IllegalArgumentException(
          "SNAPSHOT_COMPRESSION_THREADS must be between 1 and 64, got " + compressionThreads);
    }
    if (bufferBytes < (1 << 20)) {
      throw new IllegalArgumentException(
          "SNAPSHOT_BUFFER_BYTES must be at least 1048576, got " + bufferBytes);
    }
    if (fetchSize < 1 || fetchSize > 10_000) {
      throw new IllegalArgumentException(
          "SNAPSHOT_FETCH_ROWS must be between 1 and 10000, got " + fetchSize);
    }
    if (tempDir == null) {
      throw new IllegalArgumentException("SNAPSHOT_TEMP_DIR must be a directory");
    }
    if (concurrentBuilds < 1 || concurrentBuilds > 64) {
      throw new IllegalArgumentException(
          "SNAPSHOT_CONCURRENT_BUILDS must be between 1 and 64, got " + concurrentBuilds);
    }
  }

  /**
   * Reads {@code SNAPSHOT_URL_TTL_SECONDS}, {@code SNAPSHOT_RETENTION_SECONDS}, {@code
   * SNAPSHOT_DEFLATE_LEVEL}, {@code SNAPSHOT_COMPRESSION_THREADS}, {@code SNAPSHOT_BUFFER_BYTES},
   * {@code SNAPSHOT_FETCH_ROWS}, {@code SNAPSHOT_TEMP_DIR}, {@code SNAPSHOT_CONCURRENT_BUILDS} and
   * {@code SNAPSHOT_DEFLATE_ENCODER}.
   *
   * @throws IllegalArgumentException naming the variable that is malformed
   */
  public static SnapshotConfig fromEnv(Map<String, String> env) {
    String temp = env.get("SNAPSHOT_TEMP_DIR");
    return new SnapshotConfig(
        Duration.ofSeconds(number(env, "SNAPSHOT_URL_TTL_SECONDS", 300)),
        Duration.ofSeconds(number(env, "SNAPSHOT_RETENTION_SECONDS", 604_800)),
        (int) number(env, "SNAPSHOT_DEFLATE_LEVEL", 1),
        (int)
            number(env, "SNAPSHOT_COMPRESSION_THREADS", Runtime.getRuntime().availableProcessors()),
        number(env, "SNAPSHOT_BUFFER_BYTES", 16L << 20),
        (int) number(env, "SNAPSHOT_FETCH_ROWS", 16),
        Path.of(temp == null || temp.isBlank() ? System.getProperty("java.io.tmpdir") : temp),
        (int) number(env, "SNAPSHOT_CONCURRENT_BUILDS", 2),
        fastDeflate(env.get("SNAPSHOT_DEFLATE_ENCODER")));
  }

  /** The defaults. */
  public static SnapshotConfig defaults() {
    return fromEnv(Map.of());
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
    }
  }

  private static boolean fastDeflate(String value) {
    if (value == null || value.isBlank() || value.trim().equals("fast")) {
      return true;
    }
    if (value.trim().equals("zlib")) {
      return false;
    }
    throw new IllegalArgumentException(
        "SNAPSHOT_DEFLATE_ENCODER must be fast or zlib, got '" + value + "'");
  }

  private static String seconds(Duration d) {
    return d == null ? "nothing" : Long.toString(d.getSeconds());
  }
}
