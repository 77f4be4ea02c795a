package dev.velocity.preview.operator.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A raw deflate (RFC 1951) encoder built for speed on source text: greedy LZ77 over a single-entry
 * hash table of 4-byte sequences (the 32 KiB window), coded in one pass as a single dynamic-Huffman
 * block with a code fixed in advance ({@link SourceTextCode}), or deflate's fixed code when that is
 * shorter (small inputs). About twice as fast as zlib level 1 here at a slightly lower ratio; any
 * inflater reads the result. The output depends only on the input bytes, so builds stay
 * byte-identical. Not thread-safe: one instance per thread.
 */
final class FastDeflater {
  private static final int HASH_BITS = 15;
  private static final int WINDOW = 32 << 10;
  private static final int MIN_MATCH = 4;
  private static final int MAX_MATCH = 258;
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int[] table = new int[1 << HASH_BITS];
  // positions are stored as base + index, so the table never needs clearing between inputs
  private int base = 1;

  /** Below this size the fixed code is tried too: the preset code's header costs ~80 bytes. */
  static final int SMALL_INPUT = 4096;

  private static final HuffmanCode FIXED = HuffmanCode.fixed();

  private final HuffmanCode code;
  private final BitSink sink = new BitSink();
  private final byte[] small = new byte[SMALL_INPUT + 1024];

  FastDeflater() {
    this(SourceTextCode.CODE);
  }

  FastDeflater(HuffmanCode code) {
    this.code = code;
  }

  /**
   * Compresses {@code in[0, n)}; the result is {@link #output()}'s first bytes (returned count).
   * Small inputs are coded both ways and the shorter stream is kept.
   */
  int deflate(byte[] in, int n) {
    if (n >= SMALL_INPUT) {
      return deflate(in, n, code);
    }
    int fixedLength = deflate(in, n, FIXED);
    System.arraycopy(sink.buffer(), 0, small, 0, fixedLength);
    int presetLength = deflate(in, n, code);
    if (fixedLength < presetLength) {
      System.arraycopy(small, 0, sink.buffer(), 0, fixedLength);
      return fixedLength;
    }
    return presetLength;
  }

  private int deflate(byte[] in, int n, HuffmanCode code) {
    sink.reset(n + (n >>> 2) + 1024);
    if (base > Integer.MAX_VALUE - n - WINDOW - 2) {
      Arrays.fill(table, 0);
      base = 1;
    }
    int[] hashTable = table;
    int offset = base;
    int[] litCode = code.litCode;
    int[] litLength = code.litLength;
    int[] distCode = code.distCode;
    int[] distLength = code.distLength;
    BitSink out = sink;
    code.startFinalBlock(out);
    int i = 0;
    int limit = n - MIN_MATCH;
    while (i <= limit) {
      int v = readInt(in, i);
      int h = (v * 0x9E3779B1) >>> (32 - HASH_BITS);
      int candidate = hashTable[h] - offset;
      hashTable[h] = offset + i;
      if (candidate >= 0 && i - candidate <= WINDOW && readInt(in, candidate) == v) {
        int length = MIN_MATCH;
        int max = Math.min(MAX_MATCH, n - i);
        // compare eight bytes at a time while they fit, then byte by byte
        while (length + 8 <= max) {
          long diff =
              (long) LONG_LE.get(in, candidate + length) ^ (long) LONG_LE.get(in, i + length);
          if (diff != 0) {
            length += Long.numberOfTrailingZeros(diff) >>> 3;
            break;
          }
          length += 8;
        }
        if (length + 8 > max) {
          while (length < max && in[candidate + length] == in[i + length]) {
            length++;
          }
        }
        int distance = i - candidate;
        int ls = HuffmanCode.lengthSymbol(length);
        out.put(litCode[ls], litLength[ls]);
        int extra = HuffmanCode.lengthExtraBits(ls);
        if (extra > 0) {
          out.put(length - HuffmanCode.lengthBase(ls), extra);
        }
        int dc = HuffmanCode.distanceCode(distance);
        out.put(distCode[dc], distLength[dc]);
        int dExtra = HuffmanCode.distanceExtraBits(dc);
        if (dExtra > 0) {
          out.put(distance - HuffmanCode.distanceBase(dc), dExtra);
        }
        // remember the tail of the match too: the next repeat often starts there
        int tail = i + length - 2;
        if (tail <= limit) {
          hashTable[(readInt(in, tail) * 0x9E3779B1) >>> (32 - HASH_BITS)] = offset + tail;
        }
        i += length;
      } else {
        int c = in[i] & 0xFF;
        out.put(litCode[c], litLength[c]);
        i++;
      }
    }
    while (i < n) {
      int c = in[i++] & 0xFF;
      out.put(litCode[c], litLength[c]);
    }
    out.put(litCode[HuffmanCode.END_OF_BLOCK], litLength[HuffmanCode.END_OF_BLOCK]);
    base += n + WINDOW + 1;
    return out.finish();
  }

  /** Drops an output buffer grown by a large input, so a thread does not keep it. */
  void trim() {
    sink.trim(1 << 20);
  }

  /** The buffer holding the last {@link #deflate} result (reused by the next call). */
  byte[] output() {
    return sink.buffer();
  }

  private static int readInt(byte[] b, int i) {
    return (int) INT_LE.get(b, i);
  }
}
