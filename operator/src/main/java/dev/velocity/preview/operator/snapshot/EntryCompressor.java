package dev.velocity.preview.operator.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one file into a {@link CompressedEntry}: raw deflate, or stored when asked to
 * (already-compressed types) or when deflating would not make it smaller. Files in memory go
 * through {@link FastDeflater} (the default) or zlib at a fixed level; large files staged on disk
 * always stream through zlib. The output depends only on the input bytes and the settings, so it is
 * the same on every build.
 */
final class EntryCompressor {
  private static final int CHUNK = 64 << 10;

  private final int level;
  private final ThreadLocal<Deflater> deflaters;
  private final ThreadLocal<FastDeflater> fastDeflaters;

  /** zlib at {@code level} for every file (0: store everything). */
  EntryCompressor(int level) {
    this(level, false);
  }

  /**
   * {@code fast}: files in memory through {@link FastDeflater}, large staged files through zlib at
   * {@code level}; level 0 stores everything either way.
   */
  EntryCompressor(int level, boolean fast) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("deflate level must be 0-9, got " + level);
    }
    this.level = level;
    this.deflaters = ThreadLocal.withInitial(() -> new Deflater(level, true));
    this.fastDeflaters = fast ? ThreadLocal.withInitial(FastDeflater::new) : null;
  }

  /** Compresses {@code content} (held in memory). */
  CompressedEntry compress(String path, byte[] content, boolean store) {
    CRC32 crc = new CRC32();
    crc.update(content, 0, content.length);
    int crcValue = (int) crc.getValue();
    if (store || level == 0 || content.length == 0) {
      return stored(path, content, crcValue);
    }
    if (fastDeflaters != null) {
      FastDeflater fast = fastDeflaters.get();
      int length = fast.deflate(content, content.length);
      if (length >= content.length) {
        fast.trim();
        return stored(path, content, crcValue);
      }
      byte[] out = Arrays.copyOf(fast.output(), length);
      fast.trim();
      return new CompressedEntry(
          path,
          DeterministicZipWriter.METHOD_DEFLATED,
          crcValue,
          content.length,
          length,
          out,
          null);
    }
    Deflater deflater = deflaters.get();
    deflater.reset();
    deflater.setInput(content);
    deflater.finish();
    // deflate only pays when it saves something; never let the buffer grow past the input
    byte[] out = new byte[Math.max(64, content.length / 2)];
    int length = 0;
    while (!deflater.finished()) {
      if (length == out.length) {
        if (out.length >= content.length) {
          return stored(path, content, crcValue);
        }
        out = Arrays.copyOf(out, Math.min(content.length, out.length * 2));
      }
      length += deflater.deflate(out, length, out.length - length);
    }
    if (length >= content.length) {
      return stored(path, content, crcValue);
    }
    return new CompressedEntry(
        path, DeterministicZipWriter.METHOD_DEFLATED, crcValue, content.length, length, out, null);
  }

  /**
   * Compresses the {@code size} bytes of {@code raw} (a large file already on disk) into a new
   * temporary file under {@code tempDir}, streaming.
   */
  CompressedEntry compressFile(String path, Path raw, long size, boolean store, Path tempDir)
      throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(raw)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    int crcValue = (int) crc.getValue();
    if (store || level == 0 || size == 0) {
      return new CompressedEntry(
          path, DeterministicZipWriter.METHOD_STORED, crcValue, size, size, null, raw);
    }
    Path compressed = Files.createTempFile(tempDir, "entry-", ".deflate");
    long written = 0;
    Deflater deflater = deflaters.get();
    deflater.reset();
    byte[] out = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(raw);
        OutputStream sink = Files.newOutputStream(compressed)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        deflater.setInput(buffer, 0, n);
        while (!deflater.needsInput()) {
          int d = deflater.deflate(out);
          sink.write(out, 0, d);
          written += d;
        }
      }
      deflater.finish();
      while (!deflater.finished()) {
        int d = deflater.deflate(out);
        sink.write(out, 0, d);
        written += d;
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(compressed);
      throw e;
    }
    if (written >= size) {
      Files.deleteIfExists(compressed);
      return new CompressedEntry(
          path, DeterministicZipWriter.METHOD_STORED, crcValue, size, size, null, raw);
    }
    Files.deleteIfExists(raw);
    return new CompressedEntry(
        path, DeterministicZipWriter.METHOD_DEFLATED, crcValue, size, written, null, compressed);
  }

  private static CompressedEntry stored(String path, byte[] content, int crc) {
    return new CompressedEntry(
        path,
        DeterministicZipWriter.METHOD_STORED,
        crc,
        content.length,
        content.length,
        content,
        null);
  }
}
