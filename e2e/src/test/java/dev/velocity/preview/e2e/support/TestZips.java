package dev.velocity.preview.e2e.support;

import dev.velocity.preview.e2e.db.CurrentFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A snapshot-format zip (sorted entries, fixed times) of files, for tests without the builder. */
public final class TestZips {
  private TestZips() {}

  public static byte[] zip(Map<String, CurrentFile> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (CurrentFile f : new TreeMap<>(files).values()) {
        ZipEntry e = new ZipEntry(f.path());
        e.setTime(315532800000L);
        zip.putNextEntry(e);
        zip.write(f.content().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
