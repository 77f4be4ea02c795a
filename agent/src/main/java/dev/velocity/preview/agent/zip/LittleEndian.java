package dev.velocity.preview.agent.zip;

/** Little-endian integer reads from byte arrays (the zip format's byte order). */
final class LittleEndian {
  private LittleEndian() {}

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xff))
        | ((long) (b[off + 1] & 0xff)) << 8
        | ((long) (b[off + 2] & 0xff)) << 16
        | ((long) (b[off + 3] & 0xff)) << 24;
  }

  /** An unsigned 64-bit value; values above {@code Long.MAX_VALUE} come back negative. */
  static long u64(byte[] b, int off) {
    return u32(b, off) | u32(b, off + 4) << 32;
  }
}
