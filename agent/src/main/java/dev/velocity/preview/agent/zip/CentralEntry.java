package dev.velocity.preview.agent.zip;

/**
 * One central-directory record, as declared (sizes and CRC are checked against the data later).
 *
 * @param name the entry name decoded as UTF-8
 * @param rawName the name's bytes (compared with the local header)
 * @param flags general purpose bit flags
 * @param method 0 (stored) or 8 (deflated)
 * @param crc declared CRC-32
 * @param compressedSize declared compressed size
 * @param size declared uncompressed size
 * @param localHeaderOffset where the entry's local header starts
 * @param directory true for a directory entry (name ends with {@code /})
 */
public record CentralEntry(
    String name,
    byte[] rawName,
    int flags,
    int method,
    long crc,
    long compressedSize,
    long size,
    long localHeaderOffset,
    boolean directory) {

  /** Stored (no compression). */
  public static final int STORED = 0;

  /** Deflated. */
  public static final int DEFLATED = 8;

  /** Flag bit 3: sizes and CRC follow the data in a data descriptor. */
  public static final int FLAG_DATA_DESCRIPTOR = 1 << 3;

  /** The entry's path without the trailing {@code /} of a directory. */
  public String path() {
    return directory ? name.substring(0, name.length() - 1) : name;
  }
}
