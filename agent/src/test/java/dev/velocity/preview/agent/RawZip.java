package dev.velocity.preview.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A zip writer for tests that can forge every header field, so hostile archives can be built byte
 * by byte: names, flags, methods, sizes, CRCs, unix modes, data descriptors, extra entries.
 */
public final class RawZip {
  /** One entry; every field may be overridden after {@link #file} built it honestly. */
  public static final class Entry {
    public byte[] name;
    public byte[] localName;
    public byte[] data;
    public byte[] compressed;
    public int method = 8;
    public int flags = 0x0800;
    public int localFlags = -1;
    public int localMethod = -1;
    public int madeBy = 3 << 8 | 20;
    public int unixMode = 0100644;
    public long crc;
    public long csize;
    public long usize;
    public long localCrc = -1;
    public long localCsize = -1;
    public long localUsize = -1;
    public boolean dataDescriptor;

    /** When set, the central directory points here instead of at this entry's local header. */
    public long forcedOffset = -1;

    /**
     * Bytes written after the data (before the next entry); lets tests hide one entry in another.
     */
    public byte[] trailer = new byte[0];
  }

  private final List<Entry> entries = new ArrayList<>();
  public int eocdEntriesOverride = -1;
  public int eocdDiskOverride = -1;

  /** Adds an honest deflated file. */
  public Entry file(String name, byte[] data) {
    return add(name.getBytes(StandardCharsets.UTF_8), data, 8);
  }

  /** Adds an honest file, deflated or stored. */
  public Entry file(String name, String text, int method) {
    return add(
        name.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8), method);
  }

  /** Adds an honest file with raw name bytes. */
  public Entry add(byte[] name, byte[] data, int method) {
    Entry e = new Entry();
    e.name = name;
    e.data = data;
    e.method = method;
    CRC32 crc = new CRC32();
    crc.update(data);
    e.crc = crc.getValue();
    e.compressed = method == 8 ? deflate(data) : data;
    e.csize = e.compressed.length;
    e.usize = data.length;
    entries.add(e);
    return e;
  }

  /** Raw deflate of {@code data}. */
  public static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!d.finished()) {
      int n = d.deflate(buf);
      out.write(buf, 0, n);
    }
    d.end();
    return out.toByteArray();
  }

  /** The archive's bytes. */
  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] offsets = new long[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      offsets[i] = out.size();
      byte[] lname = e.localName != null ? e.localName : e.name;
      u32(out, 0x04034b50);
      u16(out, 20);
      u16(out, e.localFlags >= 0 ? e.localFlags : e.flags | (e.dataDescriptor ? 8 : 0));
      u16(out, e.localMethod >= 0 ? e.localMethod : e.method);
      u16(out, 0);
      u16(out, 0x21);
      boolean dd = e.dataDescriptor;
      u32(out, e.localCrc >= 0 ? e.localCrc : dd ? 0 : e.crc);
      u32(out, e.localCsize >= 0 ? e.localCsize : dd ? 0 : e.csize);
      u32(out, e.localUsize >= 0 ? e.localUsize : dd ? 0 : e.usize);
      u16(out, lname.length);
      u16(out, 0);
      out.writeBytes(lname);
      out.writeBytes(e.compressed);
      if (dd) {
        u32(out, 0x08074b50);
        u32(out, e.crc);
        u32(out, e.csize);
        u32(out, e.usize);
      }
      out.writeBytes(e.trailer);
    }
    long cdStart = out.size();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      u32(out, 0x02014b50);
      u16(out, e.madeBy);
      u16(out, 20);
      u16(out, e.flags | (e.dataDescriptor ? 8 : 0));
      u16(out, e.method);
      u16(out, 0);
      u16(out, 0x21);
      u32(out, e.crc);
      u32(out, e.csize);
      u32(out, e.usize);
      u16(out, e.name.length);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
      u32(out, ((long) e.unixMode) << 16);
      u32(out, e.forcedOffset >= 0 ? e.forcedOffset : offsets[i]);
      out.writeBytes(e.name);
    }
    long cdSize = out.size() - cdStart;
    u32(out, 0x06054b50);
    u16(out, eocdDiskOverride >= 0 ? eocdDiskOverride : 0);
    u16(out, 0);
    int n = eocdEntriesOverride >= 0 ? eocdEntriesOverride : entries.size();
    u16(out, n);
    u16(out, n);
    u32(out, cdSize);
    u32(out, cdStart);
    u16(out, 0);
    return out.toByteArray();
  }

  /** Where the entry at {@code index} would start (only valid before forging offsets). */
  public long offsetOf(int index) {
    long pos = 0;
    for (int i = 0; i < index; i++) {
      Entry e = entries.get(i);
      byte[] lname = e.localName != null ? e.localName : e.name;
      pos +=
          30 + lname.length + e.compressed.length + (e.dataDescriptor ? 16 : 0) + e.trailer.length;
    }
    return pos;
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    u16(out, (int) (v & 0xffff));
    u16(out, (int) ((v >>> 16) & 0xffff));
  }
}
