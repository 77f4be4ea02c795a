package dev.velocity.preview.agent.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.agent.AgentException;
import dev.velocity.preview.agent.ExitCode;
import dev.velocity.preview.agent.RawZip;
import dev.velocity.preview.agent.hydrate.ExtractionLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipArchiveTest {
  @TempDir Path tmp;

  @Test
  void readsZip64DirectoryOfMoreThan65535Entries() throws IOException {
    int n = 65_600;
    Path file = tmp.resolve("big.zip");
    try (ZipOutputStream out =
        new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      CRC32 crc = new CRC32();
      for (int i = 0; i < n; i++) {
        ZipEntry e = new ZipEntry("d/" + i);
        e.setMethod(ZipEntry.STORED);
        byte[] data = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        crc.reset();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setSize(data.length);
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
      }
    }
    try (ZipArchive zip = ZipArchive.open(file, 100_000);
        EntryReader reader = new EntryReader(zip, ExtractionLimits.DEFAULTS)) {
      assertThat(zip.entries()).hasSize(n);
      CentralEntry last = zip.entries().get(n - 1);
      assertThat(last.name()).isEqualTo("d/65599");
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      reader.copy(last, content);
      assertThat(content.toString(StandardCharsets.US_ASCII)).isEqualTo("65599");
    }
    assertThatThrownBy(() -> ZipArchive.open(file, 65_599))
        .isInstanceOf(AgentException.class)
        .hasMessage(
            "snapshot archive refused: archive has 65600 entries, more than MAX_ENTRIES (65599)")
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCode.LIMIT_EXCEEDED);
  }

  @Test
  void readsDataDescriptorEntriesAndChecksThem() throws IOException {
    RawZip z = new RawZip();
    z.file("a.txt", "hello hello hello", 8).dataDescriptor = true;
    RawZip.Entry bad = z.file("b.txt", "world", 8);
    bad.dataDescriptor = true;
    Path file = tmp.resolve("dd.zip");
    Files.write(file, z.bytes());
    try (ZipArchive zip = ZipArchive.open(file, 10);
        EntryReader reader = new EntryReader(zip, ExtractionLimits.DEFAULTS)) {
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      reader.copy(zip.entries().get(0), a);
      assertThat(a.toString(StandardCharsets.UTF_8)).isEqualTo("hello hello hello");
      reader.copy(zip.entries().get(1), OutputStream.nullOutputStream());
    }
    // a descriptor that disagrees with the central directory is refused
    byte[] bytes = z.bytes();
    long descriptorCrcAt = z.offsetOf(1) - 16 + 4;
    bytes[(int) descriptorCrcAt] ^= 1;
    Files.write(file, bytes);
    try (ZipArchive zip = ZipArchive.open(file, 10);
        EntryReader reader = new EntryReader(zip, ExtractionLimits.DEFAULTS)) {
      assertThatThrownBy(() -> reader.copy(zip.entries().get(0), OutputStream.nullOutputStream()))
          .hasMessage(
              "snapshot archive refused: entry \"a.txt\" data descriptor disagrees with the central directory");
    }
  }
}
