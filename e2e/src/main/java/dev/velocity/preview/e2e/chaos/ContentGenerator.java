package dev.velocity.preview.e2e.chaos;

import java.util.Random;

/** File contents for the workload: short text mixing scripts, and a 5 MiB file. */
final class ContentGenerator {
  /** The large file's size in bytes (ASCII, so also its length in characters). */
  static final int BIG_BYTES = 5 * 1024 * 1024;

  private static final String[] WORDS = {
    "const", "export", "héllo", "wörld", "✓", "日本語", "Ελληνικά", "файл", "😀", "return", "\t", "{}"
  };

  private ContentGenerator() {}

  /** A few lines of text (sometimes none) naming edit {@code n}. */
  static String text(Random r, int n) {
    StringBuilder sb = new StringBuilder("// edit ").append(n).append('\n');
    int words = r.nextInt(400);
    for (int i = 0; i < words; i++) {
      sb.append(WORDS[r.nextInt(WORDS.length)]).append(i % 12 == 11 ? '\n' : ' ');
    }
    return sb.toString();
  }

  /** 5 MiB of printable ASCII lines. */
  static String big(Random r) {
    StringBuilder sb = new StringBuilder(BIG_BYTES);
    while (sb.length() < BIG_BYTES) {
      int line = Math.min(80, BIG_BYTES - sb.length());
      for (int i = 0; i < line - 1; i++) {
        sb.append((char) (' ' + r.nextInt(95)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
