package dev.velocity.preview.agent.zip;

import dev.velocity.preview.agent.AgentException;
import dev.velocity.preview.agent.hydrate.ExtractionLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streams entry data out of a {@link ZipArchive}, checking what the central directory declared
 * against what is really there: the local header (signature, name, method, flags, sizes and CRC
 * unless deferred to a data descriptor), entries that overlap each other or the central directory,
 * the compressed and inflated byte counts, the CRC-32, and the {@link ExtractionLimits} counted on
 * bytes actually inflated. Entries must be read in ascending offset order. Not thread-safe.
 */
public final class EntryReader implements AutoCloseable {
  private static final int LOC_SIG = 0x04034b50;
  private static final int DESCRIPTOR_SIG = 0x08074b50;
  private static final int LOC_LEN = 30;
  private static final long MAX32 = 0xFFFFFFFFL;
  private static final int BUFFER = 64 * 1024;

  private final ZipArchive archive;
  private final FileChannel ch;
  private final ExtractionLimits limits;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] in = new byte[BUFFER];
  private final byte[] out = new byte[BUFFER];
  private long previousEnd;
  private long totalInflated;
  private long totalCompressed;

  /** A reader over {@code archive} enforcing {@code limits}. */
  public EntryReader(ZipArchive archive, ExtractionLimits limits) {
    this.archive = archive;
    this.ch = archive.channel();
    this.limits = limits;
  }

  /** Bytes inflated so far, over all entries. */
  public long totalInflated() {
    return totalInflated;
  }

  /**
   * Checks {@code e}'s local header and copies its inflated content to {@code sink}.
   *
   * @throws dev.velocity.preview.agent.AgentException when the entry is refused
   * @throws IOException when reading the archive or writing the sink fails
   */
  public void copy(CentralEntry e, OutputStream sink) throws IOException {
    if (e.size() > limits.maxFileBytes()) {
      throw tooLarge(e);
    }
    if (e.localHeaderOffset() < previousEnd) {
      throw Refusal.unsafe(e.name(), "overlaps the previous entry");
    }
    long dataStart = checkLocalHeader(e);
    long dataEnd = dataStart + e.compressedSize();
    if (dataEnd > archive.centralDirectoryOffset() || dataEnd < dataStart) {
      throw Refusal.unsafe(e.name(), "data runs past the end of the entries (truncated archive)");
    }
    crc.reset();
    long inflated =
        e.method() == CentralEntry.STORED
            ? copyStored(e, dataStart, sink)
            : inflate(e, dataStart, sink);
    if (inflated != e.size()) {
      throw Refusal.unsafe(
          e.name(), "size mismatch: declared " + e.size() + " bytes, found " + inflated);
    }
    if (crc.getValue() != e.crc()) {
      throw Refusal.unsafe(e.name(), "CRC mismatch (content is corrupt)");
    }
    previousEnd = dataEnd;
    if ((e.flags() & CentralEntry.FLAG_DATA_DESCRIPTOR) != 0) {
      previousEnd = checkDescriptor(e, dataEnd);
    }
  }

  private long checkLocalHeader(CentralEntry e) throws IOException {
    long pos = e.localHeaderOffset();
    if (pos + LOC_LEN > archive.centralDirectoryOffset()) {
      throw Refusal.unsafe(e.name(), "local header lies outside the entries (truncated archive)");
    }
    byte[] h = ZipArchive.read(ch, pos, LOC_LEN);
    if (LittleEndian.u32(h, 0) != LOC_SIG) {
      throw Refusal.unsafe(e.name(), "local header is missing or corrupt");
    }
    int flags = LittleEndian.u16(h, 6);
    int method = LittleEndian.u16(h, 8);
    long lcrc = LittleEndian.u32(h, 14);
    long lcsize = LittleEndian.u32(h, 18);
    long lusize = LittleEndian.u32(h, 22);
    int nameLen = LittleEndian.u16(h, 26);
    int extraLen = LittleEndian.u16(h, 28);
    byte[] nameAndExtra = ZipArchive.read(ch, pos + LOC_LEN, nameLen + extraLen);
    if (nameLen != e.rawName().length
        || !Arrays.equals(nameAndExtra, 0, nameLen, e.rawName(), 0, nameLen)) {
      throw Refusal.unsafe(
          e.name(), "local header names a different file than the central directory");
    }
    if (method != e.method() || (flags & 0x0009) != (e.flags() & 0x0009)) {
      throw Refusal.unsafe(
          e.name(), "local header disagrees with the central directory (method or flags)");
    }
    if ((flags & 1) != 0) {
      throw Refusal.unsafe(e.name(), "is encrypted (encrypted entries are not supported)");
    }
    if ((flags & CentralEntry.FLAG_DATA_DESCRIPTOR) == 0) {
      if (lusize == MAX32 || lcsize == MAX32) {
        long[] z = zip64Sizes(nameAndExtra, nameLen, extraLen, lusize, lcsize, e);
        lusize = z[0];
        lcsize = z[1];
      }
      if (lcrc != e.crc() || lcsize != e.compressedSize() || lusize != e.size()) {
        throw Refusal.unsafe(
            e.name(), "local header disagrees with the central directory (size or CRC)");
      }
    }
    return pos + LOC_LEN + nameLen + extraLen;
  }

  private static long[] zip64Sizes(
      byte[] b, int nameLen, int extraLen, long usize, long csize, CentralEntry e) {
    int q = nameLen;
    int end = nameLen + extraLen;
    while (q + 4 <= end) {
      int id = LittleEndian.u16(b, q);
      int len = LittleEndian.u16(b, q + 2);
      if (id == 0x0001 && len >= 16 && q + 4 + len <= end) {
        return new long[] {LittleEndian.u64(b, q + 4), LittleEndian.u64(b, q + 12)};
      }
      q += 4 + len;
    }
    throw Refusal.unsafe(e.name(), "local header lacks its zip64 sizes");
  }

  private long checkDescriptor(CentralEntry e, long pos) throws IOException {
    boolean wide = e.size() >= MAX32 || e.compressedSize() >= MAX32;
    int fields = wide ? 20 : 12;
    long limit = archive.centralDirectoryOffset();
    if (pos + 4 > limit) {
      throw Refusal.unsafe(e.name(), "data descriptor is missing (truncated archive)");
    }
    byte[] sig = ZipArchive.read(ch, pos, 4);
    long start = LittleEndian.u32(sig, 0) == DESCRIPTOR_SIG ? pos + 4 : pos;
    if (start + fields > limit) {
      throw Refusal.unsafe(e.name(), "data descriptor is missing (truncated archive)");
    }
    byte[] d = ZipArchive.read(ch, start, fields);
    long dcrc = LittleEndian.u32(d, 0);
    long dcsize = wide ? LittleEndian.u64(d, 4) : LittleEndian.u32(d, 4);
    long dusize = wide ? LittleEndian.u64(d, 12) : LittleEndian.u32(d, 8);
    if (dcrc != e.crc() || dcsize != e.compressedSize() || dusize != e.size()) {
      throw Refusal.unsafe(e.name(), "data descriptor disagrees with the central directory");
    }
    return start + fields;
  }

  private long copyStored(CentralEntry e, long pos, OutputStream sink) throws IOException {
    if (e.compressedSize() != e.size()) {
      throw Refusal.unsafe(e.name(), "is stored but its sizes differ");
    }
    long remaining = e.compressedSize();
    long written = 0;
    while (remaining > 0) {
      int n = (int) Math.min(in.length, remaining);
      ZipArchive.readFully(ch, pos, in, 0, n);
      pos += n;
      remaining -= n;
      written += n;
      account(e, written, written, n, n);
      crc.update(in, 0, n);
      sink.write(in, 0, n);
    }
    return written;
  }

  private long inflate(CentralEntry e, long pos, OutputStream sink) throws IOException {
    inflater.reset();
    long remaining = e.compressedSize();
    long written = 0;
    long consumedBefore = 0;
    try {
      while (!inflater.finished()) {
        if (inflater.needsInput()) {
          if (remaining == 0) {
            throw Refusal.unsafe(e.name(), "deflate data is truncated or corrupt");
          }
          int n = (int) Math.min(in.length, remaining);
          ZipArchive.readFully(ch, pos, in, 0, n);
          pos += n;
          remaining -= n;
          inflater.setInput(in, 0, n);
        }
        if (inflater.needsDictionary()) {
          throw Refusal.unsafe(e.name(), "deflate data is corrupt (needs a dictionary)");
        }
        int n = inflater.inflate(out);
        long consumed = inflater.getBytesRead();
        written += n;
        account(e, written, consumed, n, consumed - consumedBefore);
        consumedBefore = consumed;
        if (n > 0) {
          crc.update(out, 0, n);
          sink.write(out, 0, n);
        }
      }
    } catch (DataFormatException ex) {
      throw Refusal.unsafe(e.name(), "deflate data is corrupt (" + ex.getMessage() + ")");
    }
    if (inflater.getBytesRead() != e.compressedSize()) {
      throw Refusal.unsafe(
          e.name(),
          "size mismatch: declared "
              + e.compressedSize()
              + " compressed bytes, deflate stream has "
              + inflater.getBytesRead());
    }
    return written;
  }

  private void account(
      CentralEntry e,
      long entryInflated,
      long entryCompressed,
      int newInflated,
      long newCompressed) {
    totalInflated += newInflated;
    totalCompressed += newCompressed;
    if (entryInflated > limits.maxFileBytes()) {
      throw tooLarge(e);
    }
    if (totalInflated > limits.maxTotalBytes()) {
      throw Refusal.limit(
          "archive inflates to more than MAX_TOTAL_BYTES (" + limits.maxTotalBytes() + " bytes)");
    }
    long ratio = limits.maxRatio();
    if (entryInflated > ExtractionLimits.RATIO_FLOOR_BYTES
        && entryInflated > ratio * Math.max(1, entryCompressed)) {
      throw Refusal.limit(
          e.name(), "has a compression ratio above MAX_RATIO (" + ratio + ":1), a zip bomb");
    }
    if (totalInflated > ExtractionLimits.RATIO_FLOOR_BYTES
        && totalInflated > ratio * Math.max(1, totalCompressed)) {
      throw Refusal.limit(
          "archive has a compression ratio above MAX_RATIO (" + ratio + ":1), a zip bomb");
    }
  }

  private AgentException tooLarge(CentralEntry e) {
    return Refusal.limit(
        e.name(), "is larger than MAX_FILE_BYTES (" + limits.maxFileBytes() + " bytes)");
  }

  @Override
  public void close() {
    inflater.end();
  }
}
