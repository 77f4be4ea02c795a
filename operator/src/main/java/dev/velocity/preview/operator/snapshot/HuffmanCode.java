package dev.velocity.preview.operator.snapshot;

import java.util.Arrays;

/**
 * The two Huffman codes of one dynamic deflate block (RFC 1951 §3.2.7), built from symbol
 * frequencies with lengths limited to 15 bits, and the block header that describes them. Ties are
 * broken by symbol number, so equal frequencies always give equal codes.
 */
final class HuffmanCode {
  static final int LITLEN_CODES = 286;
  static final int DIST_CODES = 30;
  static final int END_OF_BLOCK = 256;
  private static final int MAX_BITS = 15;
  private static final int MAX_CODE_LENGTH_BITS = 7;
  private static final int[] CODE_LENGTH_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };
  private static final int[] LENGTH_BASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258
  };
  private static final int[] LENGTH_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  private static final int[] DIST_BASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  private static final int[] DIST_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };
  private static final int[] LENGTH_SYMBOL = new int[259];
  // distances up to 256 directly, larger ones by (distance - 1) / 128
  private static final int[] DIST_SMALL = new int[257];
  private static final int[] DIST_LARGE = new int[256];

  static {
    for (int code = 0; code < LENGTH_BASE.length; code++) {
      int last = code == 27 ? 257 : LENGTH_BASE[code] + (1 << LENGTH_EXTRA[code]) - 1;
      for (int length = LENGTH_BASE[code]; length <= last; length++) {
        LENGTH_SYMBOL[length] = 257 + code;
      }
    }
    for (int d = 1; d <= 256; d++) {
      DIST_SMALL[d] = slowDistanceCode(d);
    }
    for (int k = 2; k < 256; k++) {
      DIST_LARGE[k] = slowDistanceCode(k * 128 + 1);
    }
  }

  final int[] litLength = new int[LITLEN_CODES];
  final int[] litCode = new int[LITLEN_CODES];
  final int[] distLength = new int[DIST_CODES];
  final int[] distCode = new int[DIST_CODES];
  private byte[] header = new byte[0];
  private long headerBits;
  private int blockType = 2;

  /** Deflate's fixed code (block type 1): no header, so best for small inputs. */
  static HuffmanCode fixed() {
    HuffmanCode code = new HuffmanCode();
    // the canonical code counts all 288 literal/length and 32 distance symbols, used or not
    int[] lengths = new int[288];
    for (int s = 0; s < lengths.length; s++) {
      lengths[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    }
    int[] codes = new int[288];
    codes(lengths, codes);
    System.arraycopy(lengths, 0, code.litLength, 0, LITLEN_CODES);
    System.arraycopy(codes, 0, code.litCode, 0, LITLEN_CODES);
    int[] distLengths = new int[32];
    Arrays.fill(distLengths, 5);
    int[] distCodes = new int[32];
    codes(distLengths, distCodes);
    System.arraycopy(distLengths, 0, code.distLength, 0, DIST_CODES);
    System.arraycopy(distCodes, 0, code.distCode, 0, DIST_CODES);
    code.blockType = 1;
    return code;
  }

  /**
   * A code built once from {@code litFreq} and {@code distFreq}, with its header kept for reuse.
   */
  static HuffmanCode preset(int[] litFreq, int[] distFreq) {
    HuffmanCode code = new HuffmanCode();
    code.build(litFreq, distFreq);
    BitSink sink = new BitSink();
    sink.reset(1024);
    code.writeHeader(sink);
    code.headerBits = sink.bitCount();
    code.header = Arrays.copyOf(sink.buffer(), sink.finish());
    return code;
  }

  /** Starts the only block of a stream: BFINAL, BTYPE and, for a dynamic code, its header. */
  void startFinalBlock(BitSink sink) {
    sink.put(1, 1);
    sink.put(blockType, 2);
    replayHeader(sink);
  }

  /** Writes the header recorded by {@link #preset}. */
  void replayHeader(BitSink sink) {
    int full = (int) (headerBits >>> 3);
    for (int i = 0; i < full; i++) {
      sink.put(header[i] & 0xFF, 8);
    }
    int rest = (int) (headerBits & 7);
    if (rest > 0) {
      sink.put(header[full] & ((1 << rest) - 1), rest);
    }
  }

  static int lengthSymbol(int length) {
    return LENGTH_SYMBOL[length];
  }

  static int lengthBase(int symbol) {
    return LENGTH_BASE[symbol - 257];
  }

  static int lengthExtraBits(int symbol) {
    return LENGTH_EXTRA[symbol - 257];
  }

  static int distanceCode(int distance) {
    return distance <= 256 ? DIST_SMALL[distance] : DIST_LARGE[(distance - 1) >>> 7];
  }

  static int distanceBase(int code) {
    return DIST_BASE[code];
  }

  static int distanceExtraBits(int code) {
    return DIST_EXTRA[code];
  }

  /** Builds both codes from the block's symbol frequencies. */
  void build(int[] litFreq, int[] distFreq) {
    lengths(litFreq, LITLEN_CODES, MAX_BITS, litLength);
    codes(litLength, litCode);
    lengths(distFreq, DIST_CODES, MAX_BITS, distLength);
    codes(distLength, distCode);
  }

  /** Writes HLIT, HDIST, HCLEN, the code-length code and both codes' lengths (run-length coded). */
  void writeHeader(BitSink sink) {
    int hlit = LITLEN_CODES;
    while (hlit > 257 && litLength[hlit - 1] == 0) {
      hlit--;
    }
    int hdist = DIST_CODES;
    while (hdist > 1 && distLength[hdist - 1] == 0) {
      hdist--;
    }
    int total = hlit + hdist;
    int[] all = new int[total];
    System.arraycopy(litLength, 0, all, 0, hlit);
    System.arraycopy(distLength, 0, all, hlit, hdist);
    int[] runSymbols = new int[total];
    int[] runExtra = new int[total];
    int runs = 0;
    int[] clFreq = new int[19];
    int i = 0;
    while (i < total) {
      int v = all[i];
      int run = 1;
      while (i + run < total && all[i + run] == v) {
        run++;
      }
      i += run;
      if (v == 0) {
        while (run >= 11) {
          int r = Math.min(run, 138);
          runSymbols[runs] = 18;
          runExtra[runs++] = r - 11;
          run -= r;
        }
        if (run >= 3) {
          runSymbols[runs] = 17;
          runExtra[runs++] = run - 3;
          run = 0;
        }
      } else {
        runSymbols[runs++] = v;
        run--;
        while (run >= 3) {
          int r = Math.min(run, 6);
          runSymbols[runs] = 16;
          runExtra[runs++] = r - 3;
          run -= r;
        }
      }
      while (run > 0) {
        runSymbols[runs++] = v;
        run--;
      }
    }
    for (int k = 0; k < runs; k++) {
      clFreq[runSymbols[k]]++;
    }
    int[] clLength = new int[19];
    int[] clCode = new int[19];
    lengths(clFreq, 19, MAX_CODE_LENGTH_BITS, clLength);
    codes(clLength, clCode);
    int hclen = 19;
    while (hclen > 4 && clLength[CODE_LENGTH_ORDER[hclen - 1]] == 0) {
      hclen--;
    }
    sink.put(hlit - 257, 5);
    sink.put(hdist - 1, 5);
    sink.put(hclen - 4, 4);
    for (int k = 0; k < hclen; k++) {
      sink.put(clLength[CODE_LENGTH_ORDER[k]], 3);
    }
    for (int k = 0; k < runs; k++) {
      int s = runSymbols[k];
      sink.put(clCode[s], clLength[s]);
      if (s == 16) {
        sink.put(runExtra[k], 2);
      } else if (s == 17) {
        sink.put(runExtra[k], 3);
      } else if (s == 18) {
        sink.put(runExtra[k], 7);
      }
    }
  }

  /**
   * Huffman code lengths for {@code freq[0, n)}, at most {@code limit} bits. At least two symbols
   * get a code (inflaters want a complete code); frequencies are halved until the limit holds.
   */
  static void lengths(int[] freqIn, int n, int limit, int[] lengths) {
    int[] freq = Arrays.copyOf(freqIn, n);
    int used = 0;
    for (int f : freq) {
      if (f > 0) {
        used++;
      }
    }
    for (int s = 0; used < 2 && s < n; s++) {
      if (freq[s] == 0) {
        freq[s] = 1;
        used++;
      }
    }
    while (!tryLengths(freq, n, used, limit, lengths)) {
      for (int s = 0; s < n; s++) {
        if (freq[s] > 0) {
          freq[s] = (freq[s] + 1) >>> 1;
        }
      }
    }
  }

  private static boolean tryLengths(int[] freq, int n, int used, int limit, int[] lengths) {
    long[] keys = new long[used];
    int j = 0;
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        keys[j++] = ((long) freq[s] << 16) | s;
      }
    }
    Arrays.sort(keys);
    int nodes = 2 * used - 1;
    long[] weight = new long[nodes];
    int[] parent = new int[nodes];
    for (int k = 0; k < used; k++) {
      weight[k] = keys[k] >>> 16;
    }
    // two queues: sorted leaves, and internal nodes (created in non-decreasing weight order)
    int leaf = 0;
    int inner = used;
    for (int next = used; next < nodes; next++) {
      int a = leaf < used && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
      int b = leaf < used && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
      weight[next] = weight[a] + weight[b];
      parent[a] = next;
      parent[b] = next;
    }
    int[] depth = new int[nodes];
    for (int k = nodes - 2; k >= 0; k--) {
      depth[k] = depth[parent[k]] + 1;
      if (depth[k] > limit) {
        return false;
      }
    }
    Arrays.fill(lengths, 0, n, 0);
    for (int k = 0; k < used; k++) {
      lengths[(int) (keys[k] & 0xFFFF)] = depth[k];
    }
    return true;
  }

  /** Canonical codes for the lengths, bit-reversed for deflate's LSB-first packing. */
  static void codes(int[] lengths, int[] codes) {
    int[] count = new int[MAX_BITS + 1];
    for (int l : lengths) {
      count[l]++;
    }
    count[0] = 0;
    int[] next = new int[MAX_BITS + 1];
    int code = 0;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
      code = (code + count[bits - 1]) << 1;
      next[bits] = code;
    }
    for (int s = 0; s < lengths.length; s++) {
      int l = lengths[s];
      codes[s] = l == 0 ? 0 : Integer.reverse(next[l]++) >>> (32 - l);
    }
  }

  private static int slowDistanceCode(int distance) {
    int code = 0;
    while (code < DIST_BASE.length - 1 && DIST_BASE[code + 1] <= distance) {
      code++;
    }
    return code;
  }
}
