package dev.velocity.preview.operator.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a zip archive whose bytes depend only on the entries given: fixed timestamps (1980-01-01
 * 00:00), no extra fields, no comments, no data descriptors, no directory entries, UTF-8 names.
 * Entries arrive already compressed (see {@link EntryCompressor}) and in the order they should
 * appear. ZIP64 end records are written only when there are more than 65,534 entries; a single
 * entry or an archive beyond 4 GiB is refused.
 */
final class DeterministicZipWriter {
  static final int METHOD_STORED = 0;
  static final int METHOD_DEFLATED = 8;

  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END_OF_CENTRAL = 0x06054b50;
  private static final int ZIP64_END_OF_CENTRAL = 0x06064b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int FLAG_UTF8 = 0x0800;
  private static final int VERSION_NEEDED = 20;
  private static final int VERSION_ZIP64 = 45;
  // made by Unix (3), spec 2.0: lets unzip apply the mode bits below
  private static final int VERSION_MADE_BY = (3 << 8) | 20;
  private static final int DOS_TIME = 0;
  private static final int DOS_DATE = (1 << 5) | 1;
  // regular file, rw-r--r--
  private static final int EXTERNAL_ATTRIBUTES = 0100644 << 16;
  private static final long MAX_32 = 0xFFFFFFFFL;
  private static final int MAX_16 = 0xFFFF;

  private final OutputStream out;
  private final byte[] scratch = new byte[46];
  private CentralRecord[] central = new CentralRecord[256];
  private int count;
  private long offset;
  private boolean finished;

  private record CentralRecord(
      byte[] name, int method, int crc, long compressedSize, long size, long offset) {}

  /** A writer appending to {@code out} (which it does not close). */
  DeterministicZipWriter(OutputStream out) {
    this.out = out;
  }

  /** Appends one entry: local header, then the payload's bytes. */
  void write(CompressedEntry entry) throws IOException {
    if (finished) {
      throw new IllegalStateException("archive already finished");
    }
    byte[] name = entry.path().getBytes(StandardCharsets.UTF_8);
    if (name.length > MAX_16) {
      throw new IOException("entry name too long: " + entry.path());
    }
    if (entry.size() >= MAX_32 || entry.compressedSize() >= MAX_32 || offset >= MAX_32) {
      throw new IOException("snapshot entries and archives are limited to 4 GiB: " + entry.path());
    }
    int n = 0;
    n = putInt(scratch, n, LOCAL_HEADER);
    n = putShort(scratch, n, VERSION_NEEDED);
    n = putShort(scratch, n, FLAG_UTF8);
    n = putShort(scratch, n, entry.method());
    n = putShort(scratch, n, DOS_TIME);
    n = putShort(scratch, n, DOS_DATE);
    n = putInt(scratch, n, entry.crc());
    n = putInt(scratch, n, (int) entry.compressedSize());
    n = putInt(scratch, n, (int) entry.size());
    n = putShort(scratch, n, name.length);
    n = putShort(scratch, n, 0);
    out.write(scratch, 0, n);
    out.write(name);
    entry.writeDataTo(out);
    if (count == central.length) {
      central = java.util.Arrays.copyOf(central, count * 2);
    }
    central[count++] =
        new CentralRecord(
            name, entry.method(), entry.crc(), entry.compressedSize(), entry.size(), offset);
    offset += n + name.length + entry.compressedSize();
  }

  /** Writes the central directory and end records; returns the archive's total size. */
  long finish() throws IOException {
    if (finished) {
      throw new IllegalStateException("archive already finished");
    }
    finished = true;
    long centralStart = offset;
    for (int i = 0; i < count; i++) {
      CentralRecord r = central[i];
      int n = 0;
      n = putInt(scratch, n, CENTRAL_HEADER);
      n = putShort(scratch, n, VERSION_MADE_BY);
      n = putShort(scratch, n, VERSION_NEEDED);
      n = putShort(scratch, n, FLAG_UTF8);
      n = putShort(scratch, n, r.method());
      n = putShort(scratch, n, DOS_TIME);
      n = putShort(scratch, n, DOS_DATE);
      n = putInt(scratch, n, r.crc());
      n = putInt(scratch, n, (int) r.compressedSize());
      n = putInt(scratch, n, (int) r.size());
      n = putShort(scratch, n, r.name().length);
      n = putShort(scratch, n, 0); // extra
      n = putShort(scratch, n, 0); // comment
      n = putShort(scratch, n, 0); // disk
      n = putShort(scratch, n, 0); // internal attributes
      n = putInt(scratch, n, EXTERNAL_ATTRIBUTES);
      n = putInt(scratch, n, (int) r.offset());
      out.write(scratch, 0, n);
      out.write(r.name());
      offset += n + r.name().length;
      central[i] = null;
    }
    long centralSize = offset - centralStart;
    if (centralStart >= MAX_32 || centralSize >= MAX_32) {
      throw new IOException("snapshot archives are limited to 4 GiB");
    }
    if (count >= MAX_16) {
      writeZip64End(centralStart, centralSize);
    }
    byte[] end = new byte[22];
    int n = 0;
    n = putInt(end, n, END_OF_CENTRAL);
    n = putShort(end, n, 0);
    n = putShort(end, n, 0);
    n = putShort(end, n, Math.min(count, MAX_16));
    n = putShort(end, n, Math.min(count, MAX_16));
    n = putInt(end, n, (int) centralSize);
    n = putInt(end, n, (int) centralStart);
    putShort(end, n, 0);
    out.write(end);
    offset += end.length;
    return offset;
  }

  /** Number of entries written so far. */
  int entryCount() {
    return count;
  }

  private void writeZip64End(long centralStart, long centralSize) throws IOException {
    long recordOffset = offset;
    byte[] b = new byte[56 + 20];
    int n = 0;
    n = putInt(b, n, ZIP64_END_OF_CENTRAL);
    n = putLong(b, n, 44);
    n = putShort(b, n, (3 << 8) | VERSION_ZIP64);
    n = putShort(b, n, VERSION_ZIP64);
    n = putInt(b, n, 0);
    n = putInt(b, n, 0);
    n = putLong(b, n, count);
    n = putLong(b, n, count);
    n = putLong(b, n, centralSize);
    n = putLong(b, n, centralStart);
    n = putInt(b, n, ZIP64_LOCATOR);
    n = putInt(b, n, 0);
    n = putLong(b, n, recordOffset);
    putInt(b, n, 1);
    out.write(b);
    offset += b.length;
  }

  private static int putShort(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    return at + 2;
  }

  private static int putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
    return at + 4;
  }

  private static int putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) v);
    return putInt(b, at + 4, (int) (v >>> 32));
  }
}
