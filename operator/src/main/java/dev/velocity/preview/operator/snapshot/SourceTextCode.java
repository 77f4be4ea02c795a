package dev.velocity.preview.operator.snapshot;

/**
 * One Huffman code for every snapshot entry, fitted once to source text: symbol counts of {@link
 * FastDeflater}'s matcher over 1,927 files / 10.9 MB (this repository's Java, Markdown and YAML,
 * and npm's JavaScript, JSON and Markdown), plus one for every symbol so any byte sequence can be
 * coded. A file is then one dynamic-Huffman block whose header is this code: no per-file tree to
 * build, and a single pass over the input. On text it compresses within a few per cent of a
 * per-file code (see docs/notes/NOTES-snapshot.md); non-text that does not shrink is stored.
 * Changing these numbers changes the snapshot bytes (not their meaning): do it deliberately.
 */
final class SourceTextCode {
  private static final int[] LITERAL_LENGTH_COUNTS = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 444,
    31545, 0, 0, 5, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 198042, 4801, 18702, 4997, 2036, 427, 4376, 17376,
    29607, 21601, 6355, 4045, 28272, 20178, 48710, 24870, 14564, 14218,
    9550, 6445, 5880, 5965, 5076, 3606, 4724, 4219, 15788, 7335,
    5414, 20606, 7909, 4255, 1986, 11568, 5290, 8064, 6971, 11397,
    4716, 3077, 3142, 9736, 1523, 1655, 6115, 6009, 7226, 8133,
    6123, 2138, 7935, 11945, 10225, 5465, 2812, 3021, 1206, 1926,
    1075, 7538, 2917, 6674, 1156, 7180, 11185, 91285, 22854, 48121,
    48939, 146203, 30215, 26690, 31725, 87713, 5662, 11650, 60438, 32072,
    78661, 85779, 43564, 2530, 85336, 93130, 96723, 41223, 15645, 18850,
    10054, 21824, 2527, 8097, 4954, 13848, 216, 2, 2380, 1995,
    2053, 2011, 1913, 2084, 2025, 1973, 2119, 2087, 2024, 2025,
    2034, 1965, 1966, 2011, 1881, 1921, 1864, 1841, 2124, 2002,
    2086, 1948, 1985, 2025, 1888, 2002, 2104, 1978, 1920, 1921,
    2171, 2086, 1937, 2067, 2097, 2062, 2062, 2034, 2104, 1862,
    1750, 1809, 1792, 1831, 1810, 1788, 1885, 1824, 1914, 1807,
    1885, 1717, 1741, 1875, 2154, 2141, 2207, 2212, 2068, 2092,
    1990, 1989, 0, 0, 372, 499, 286, 314, 15, 36,
    4, 9, 2, 70, 11, 1, 150, 54, 265, 134,
    53, 15, 15, 59, 26, 36, 86, 62, 10, 7,
    0, 0, 0, 0, 186, 178, 1202, 612, 1811, 10744,
    11044, 9940, 9773, 8022, 477, 1572, 1796, 904, 43, 676,
    1609, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 1927, 0, 279087, 155598,
    123862, 99168, 73226, 46778, 39860, 50343, 31571, 23270, 15994, 21469,
    12125, 7566, 4992, 6834, 4107, 2232, 1394, 1666, 800, 496,
    289, 398, 188, 115, 104, 294,
  };

  private static final int[] DISTANCE_COUNTS = {
    647, 20840, 50, 637, 2666, 3172, 7884, 9806, 25012, 24210,
    43740, 36947, 56221, 42567, 64529, 48689, 72049, 52955, 73831, 51711,
    70970, 48046, 62010, 39575, 47492, 27372, 30364, 15806, 15962, 8066,
  };

  static final HuffmanCode CODE =
      HuffmanCode.preset(smoothed(LITERAL_LENGTH_COUNTS), smoothed(DISTANCE_COUNTS));

  private SourceTextCode() {}

  private static int[] smoothed(int[] counts) {
    int[] f = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      f[i] = counts[i] + 1;
    }
    return f;
  }
}
