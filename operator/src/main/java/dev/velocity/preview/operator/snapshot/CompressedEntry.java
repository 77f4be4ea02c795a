package dev.velocity.preview.operator.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One zip entry ready to be written: its name, method, CRC-32 and sizes, and the (possibly
 * compressed) bytes, held in memory or, for a large file, in a temporary file.
 *
 * @param path the entry name (a project file path)
 * @param method {@link DeterministicZipWriter#METHOD_STORED} or {@code METHOD_DEFLATED}
 * @param crc CRC-32 of the uncompressed bytes
 * @param size uncompressed size
 * @param compressedSize size of the stored bytes
 * @param data the stored bytes (first {@code compressedSize}) or {@code null} when in {@code file}
 * @param file temporary file with the stored bytes, or {@code null}
 */
record CompressedEntry(
    String path, int method, int crc, long size, long compressedSize, byte[] data, Path file) {

  void writeDataTo(OutputStream out) throws IOException {
    if (data != null) {
      out.write(data, 0, (int) compressedSize);
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      long copied = in.transferTo(out);
      if (copied != compressedSize) {
        throw new IOException("temporary data of " + path + " changed size");
      }
    }
  }

  /** Deletes the temporary file, if any. */
  void release() {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless; the build result does not depend on it
      }
    }
  }
}
