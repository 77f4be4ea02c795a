package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.ConfigReader;

/**
 * Limits applied while extracting a snapshot, counted on bytes actually inflated (declared sizes
 * are never trusted).
 *
 * @param maxEntries most entries an archive may hold ({@code MAX_ENTRIES}, default 100,000)
 * @param maxFileBytes largest inflated file ({@code MAX_FILE_BYTES}, default 100 MiB)
 * @param maxTotalBytes largest inflated total ({@code MAX_TOTAL_BYTES}, default 1 GiB)
 * @param maxRatio largest inflated:compressed ratio ({@code MAX_RATIO}, default 200), checked per
 *     entry and over the whole archive once more than {@link #RATIO_FLOOR_BYTES} were inflated
 */
public record ExtractionLimits(
    int maxEntries, long maxFileBytes, long maxTotalBytes, int maxRatio) {

  /** Below this many inflated bytes the ratio is not checked (tiny repetitive files are fine). */
  public static final long RATIO_FLOOR_BYTES = 1L << 20;

  /** The defaults of DESIGN.md §7. */
  public static final ExtractionLimits DEFAULTS =
      new ExtractionLimits(100_000, 100L << 20, 1L << 30, 200);

  /**
   * Reads {@code MAX_ENTRIES}, {@code MAX_FILE_BYTES}, {@code MAX_TOTAL_BYTES}, {@code MAX_RATIO}.
   */
  public static ExtractionLimits from(ConfigReader env) {
    return new ExtractionLimits(
        env.intValue("MAX_ENTRIES", DEFAULTS.maxEntries, 1, 10_000_000),
        env.longValue("MAX_FILE_BYTES", DEFAULTS.maxFileBytes, 1, 1L << 40),
        env.longValue("MAX_TOTAL_BYTES", DEFAULTS.maxTotalBytes, 1, 1L << 42),
        env.intValue("MAX_RATIO", DEFAULTS.maxRatio, 1, 1_000_000));
  }

  /** The largest download accepted: the total limit plus room for zip headers. */
  public long maxDownloadBytes() {
    return maxTotalBytes + 64L * maxEntries + (16L << 20);
  }
}
