package dev.velocity.preview.agent.zip;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A zip file read from its central directory, with every structural field checked instead of
 * trusted: one disk, the directory inside the file, entry count within the limit, no encryption,
 * only stored/deflated entries, no symbolic links or special files, strict UTF-8 names. Entry data
 * is read by {@link EntryReader}, which checks local headers, sizes and CRCs.
 */
public final class ZipArchive implements Closeable {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int CEN_SIG = 0x02014b50;
  private static final int EOCD_LEN = 22;
  private static final int CEN_LEN = 46;
  private static final long MAX32 = 0xFFFFFFFFL;
  private static final int MAX16 = 0xFFFF;

  /** Bits 0 (encrypted), 6 (strong encryption) and 13 (encrypted central directory). */
  private static final int ENCRYPTION_FLAGS = 1 | 1 << 6 | 1 << 13;

  private static final int HOST_UNIX = 3;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  private final FileChannel channel;
  private final long fileSize;
  private final long centralDirectoryOffset;
  private final List<CentralEntry> entries;

  private ZipArchive(FileChannel channel, long fileSize, long cdOffset, List<CentralEntry> list) {
    this.channel = channel;
    this.fileSize = fileSize;
    this.centralDirectoryOffset = cdOffset;
    this.entries = Collections.unmodifiableList(list);
  }

  /**
   * Opens {@code file} and parses its central directory.
   *
   * @param maxEntries refuse (as a limit) archives declaring more entries than this
   * @throws dev.velocity.preview.agent.AgentException when the archive is refused
   * @throws IOException when the file cannot be read
   */
  public static ZipArchive open(Path file, int maxEntries) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return parse(ch, maxEntries);
    } catch (RuntimeException | IOException e) {
      ch.close();
      throw e;
    }
  }

  /** The entries in central-directory order. */
  public List<CentralEntry> entries() {
    return entries;
  }

  /** Where the central directory starts: entry data must end before it. */
  public long centralDirectoryOffset() {
    return centralDirectoryOffset;
  }

  /** The archive's size in bytes. */
  public long size() {
    return fileSize;
  }

  FileChannel channel() {
    return channel;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static ZipArchive parse(FileChannel ch, int maxEntries) throws IOException {
    long size = ch.size();
    if (size < EOCD_LEN) {
      throw Refusal.unsafe("not a zip archive or truncated (" + size + " bytes)");
    }
    int tailLen = (int) Math.min(size, EOCD_LEN + MAX16);
    byte[] tail = read(ch, size - tailLen, tailLen);
    int eocd = -1;
    for (int i = tailLen - EOCD_LEN; i >= 0; i--) {
      if (LittleEndian.u32(tail, i) == EOCD_SIG
          && LittleEndian.u16(tail, i + 20) == tailLen - EOCD_LEN - i) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw Refusal.unsafe("not a zip archive or truncated (no end of central directory record)");
    }
    long eocdPos = size - tailLen + eocd;
    int disk = LittleEndian.u16(tail, eocd + 4);
    int cdDisk = LittleEndian.u16(tail, eocd + 6);
    long diskEntries = LittleEndian.u16(tail, eocd + 8);
    long total = LittleEndian.u16(tail, eocd + 10);
    long cdSize = LittleEndian.u32(tail, eocd + 12);
    long cdOffset = LittleEndian.u32(tail, eocd + 16);
    long cdLimit = eocdPos;

    long locatorPos = eocdPos - 20;
    if (locatorPos >= 0) {
      byte[] loc = read(ch, locatorPos, 20);
      if (LittleEndian.u32(loc, 0) == ZIP64_LOCATOR_SIG) {
        long z64Pos = LittleEndian.u64(loc, 8);
        if (LittleEndian.u32(loc, 4) != 0 || LittleEndian.u32(loc, 16) > 1) {
          throw Refusal.unsafe("multi-disk archives are not supported");
        }
        if (z64Pos < 0 || z64Pos + 56 > locatorPos) {
          throw Refusal.unsafe("zip64 end of central directory record is out of bounds");
        }
        byte[] z = read(ch, z64Pos, 56);
        if (LittleEndian.u32(z, 0) != ZIP64_EOCD_SIG) {
          throw Refusal.unsafe("zip64 end of central directory record is missing");
        }
        disk = (int) LittleEndian.u32(z, 16);
        cdDisk = (int) LittleEndian.u32(z, 20);
        diskEntries = LittleEndian.u64(z, 24);
        total = LittleEndian.u64(z, 32);
        cdSize = LittleEndian.u64(z, 40);
        cdOffset = LittleEndian.u64(z, 48);
        cdLimit = z64Pos;
      }
    }
    if (disk != 0 || cdDisk != 0 || diskEntries != total) {
      throw Refusal.unsafe("multi-disk archives are not supported");
    }
    if (total < 0 || total > maxEntries) {
      throw Refusal.limit(
          "archive has "
              + Long.toUnsignedString(total)
              + " entries, more than MAX_ENTRIES ("
              + maxEntries
              + ")");
    }
    if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > cdLimit) {
      throw Refusal.unsafe("truncated archive (central directory lies outside the file)");
    }
    if (cdSize > total * (CEN_LEN + 3 * MAX16) || cdSize > Integer.MAX_VALUE - 16) {
      throw Refusal.unsafe("central directory is larger than its entries can be");
    }
    byte[] cd = read(ch, cdOffset, (int) cdSize);
    List<CentralEntry> list = new ArrayList<>((int) total);
    int p = 0;
    for (long i = 0; i < total; i++) {
      if (p + CEN_LEN > cd.length || LittleEndian.u32(cd, p) != CEN_SIG) {
        throw Refusal.unsafe("corrupt central directory (record " + (i + 1) + " of " + total + ")");
      }
      p = parseEntry(cd, p, list);
    }
    if (p != cd.length) {
      throw Refusal.unsafe("corrupt central directory (size disagrees with its records)");
    }
    return new ZipArchive(ch, size, cdOffset, list);
  }

  private static int parseEntry(byte[] cd, int p, List<CentralEntry> out) {
    int madeBy = LittleEndian.u16(cd, p + 4);
    int flags = LittleEndian.u16(cd, p + 8);
    int method = LittleEndian.u16(cd, p + 10);
    long crc = LittleEndian.u32(cd, p + 16);
    long csize = LittleEndian.u32(cd, p + 20);
    long usize = LittleEndian.u32(cd, p + 24);
    int nameLen = LittleEndian.u16(cd, p + 28);
    int extraLen = LittleEndian.u16(cd, p + 30);
    int commentLen = LittleEndian.u16(cd, p + 32);
    int diskStart = LittleEndian.u16(cd, p + 34);
    long external = LittleEndian.u32(cd, p + 38);
    long offset = LittleEndian.u32(cd, p + 42);
    int nameStart = p + CEN_LEN;
    int extraStart = nameStart + nameLen;
    int next = extraStart + extraLen + commentLen;
    if (next > cd.length) {
      throw Refusal.unsafe("corrupt central directory (record overruns the directory)");
    }
    byte[] raw = new byte[nameLen];
    System.arraycopy(cd, nameStart, raw, 0, nameLen);
    String name = decodeName(raw);

    // zip64 extended information: the fields that overflowed, in this order
    int e = extraStart;
    int extraEnd = extraStart + extraLen;
    while (e + 4 <= extraEnd) {
      int id = LittleEndian.u16(cd, e);
      int len = LittleEndian.u16(cd, e + 2);
      if (e + 4 + len > extraEnd) {
        throw Refusal.unsafe(name, "has a corrupt extra field");
      }
      if (id == 0x0001) {
        int q = e + 4;
        int end = q + len;
        if (usize == MAX32) {
          usize = need8(cd, q, end, name);
          q += 8;
        }
        if (csize == MAX32) {
          csize = need8(cd, q, end, name);
          q += 8;
        }
        if (offset == MAX32) {
          offset = need8(cd, q, end, name);
          q += 8;
        }
        if (diskStart == MAX16) {
          if (q + 4 > end) {
            throw Refusal.unsafe(name, "has a truncated zip64 extra field");
          }
          diskStart = (int) LittleEndian.u32(cd, q);
        }
      }
      e += 4 + len;
    }
    if ((flags & ENCRYPTION_FLAGS) != 0) {
      throw Refusal.unsafe(name, "is encrypted (encrypted entries are not supported)");
    }
    if (method != CentralEntry.STORED && method != CentralEntry.DEFLATED) {
      throw Refusal.unsafe(
          name, "uses compression method " + method + " (only stored and deflate)");
    }
    if (diskStart != 0) {
      throw Refusal.unsafe("multi-disk archives are not supported");
    }
    if (usize < 0 || csize < 0 || offset < 0) {
      throw Refusal.unsafe(name, "declares an impossible size or offset");
    }
    boolean directory = name.endsWith("/");
    if ((madeBy >>> 8) == HOST_UNIX) {
      int mode = (int) (external >>> 16);
      int type = mode & S_IFMT;
      if (type == S_IFLNK) {
        throw Refusal.unsafe(name, "is a symbolic link");
      }
      if (type != 0 && type != S_IFREG && type != S_IFDIR) {
        throw Refusal.unsafe(name, "is a special file (mode 0" + Integer.toOctalString(mode) + ")");
      }
      if (type == S_IFDIR && !directory) {
        throw Refusal.unsafe(name, "is a directory whose name does not end with '/'");
      }
      if (type == S_IFREG && directory) {
        throw Refusal.unsafe(name, "is a regular file whose name ends with '/'");
      }
    }
    if (directory && usize != 0) {
      throw Refusal.unsafe(name, "is a directory entry with content");
    }
    out.add(new CentralEntry(name, raw, flags, method, crc, csize, usize, offset, directory));
    return next;
  }

  private static long need8(byte[] b, int q, int end, String name) {
    if (q + 8 > end) {
      throw Refusal.unsafe(name, "has a truncated zip64 extra field");
    }
    return LittleEndian.u64(b, q);
  }

  private static String decodeName(byte[] raw) {
    boolean ascii = true;
    for (byte b : raw) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw Refusal.unsafe(
          "entry " + Refusal.quote(new String(raw, StandardCharsets.UTF_8)) + " name is not UTF-8");
    }
  }

  static byte[] read(FileChannel ch, long pos, int len) throws IOException {
    byte[] b = new byte[len];
    readFully(ch, pos, b, 0, len);
    return b;
  }

  static void readFully(FileChannel ch, long pos, byte[] b, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position() - off);
      if (n < 0) {
        throw Refusal.unsafe("truncated archive (unexpected end of file)");
      }
    }
  }
}
