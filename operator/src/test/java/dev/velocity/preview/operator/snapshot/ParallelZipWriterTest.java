package dev.velocity.preview.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelZipWriterTest {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

  @TempDir Path temp;

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  private static Map<String, byte[]> sampleFiles() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    StringBuilder source = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      source.append("export const value").append(i).append(" = ").append(i * 31).append(";\n");
    }
    byte[] random = new byte[50_000];
    new Random(42).nextBytes(random);
    files.put("README.md", "# hello\n".getBytes(StandardCharsets.UTF_8));
    files.put("empty.txt", new byte[0]);
    files.put("public/logo.png", source.toString().getBytes(StandardCharsets.UTF_8));
    files.put("random.bin", random);
    files.put("src/App.tsx", source.toString().getBytes(StandardCharsets.UTF_8));
    files.put("src/ünïcødé/名前.ts", "export {}\n".getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private byte[] build(
      Map<String, byte[]> files, java.util.concurrent.Executor executor, long budget)
      throws IOException {
    return build(files, executor, budget, new EntryCompressor(1));
  }

  private byte[] build(
      Map<String, byte[]> files,
      java.util.concurrent.Executor executor,
      long budget,
      EntryCompressor compressor)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelZipWriter zip = new ParallelZipWriter(out, compressor, executor, budget, temp)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        zip.add(e.getKey(), e.getValue());
      }
      long size = zip.finish();
      assertThat(size).isEqualTo(out.size());
    }
    return out.toByteArray();
  }

  @Test
  void archiveReadsBackWithTheJdkInOrderAndIntact() throws Exception {
    checkArchive(new EntryCompressor(1));
  }

  @Test
  void archiveOfTheFastEncoderReadsBackWithTheJdkInOrderAndIntact() throws Exception {
    checkArchive(new EntryCompressor(1, true));
  }

  private void checkArchive(EntryCompressor compressor) throws Exception {
    Map<String, byte[]> files = sampleFiles();
    byte[] archive = build(files, POOL, 1 << 20, compressor);
    Path file = Files.write(temp.resolve("a.zip"), archive);

    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> names = new ArrayList<>();
      zip.stream().forEach(e -> names.add(e.getName()));
      assertThat(names).containsExactlyElementsOf(files.keySet());
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        ZipEntry entry = zip.getEntry(f.getKey());
        assertThat(zip.getInputStream(entry).readAllBytes()).isEqualTo(f.getValue());
        assertThat(entry.getExtra()).isNull();
        assertThat(entry.isDirectory()).isFalse();
        assertThat(entry.getComment()).isNull();
      }
      assertThat(zip.getEntry("src/App.tsx").getMethod()).isEqualTo(ZipEntry.DEFLATED);
      assertThat(zip.getEntry("src/App.tsx").getCompressedSize())
          .isLessThan(files.get("src/App.tsx").length / 3);
      // already-compressed type: stored even though it would deflate well
      assertThat(zip.getEntry("public/logo.png").getMethod()).isEqualTo(ZipEntry.STORED);
      // incompressible: stored because deflate would not help
      assertThat(zip.getEntry("random.bin").getMethod()).isEqualTo(ZipEntry.STORED);
      assertThat(zip.getEntry("empty.txt").getMethod()).isEqualTo(ZipEntry.STORED);
    }
    // the streaming reader (no central directory) agrees: sizes are in every local header
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive))) {
      int n = 0;
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        assertThat(in.readAllBytes()).isEqualTo(files.get(e.getName()));
        n++;
      }
      assertThat(n).isEqualTo(files.size());
    }
  }

  @Test
  void headersCarryFixedTimestampsAndNoExtraFields() throws Exception {
    byte[] archive = build(sampleFiles(), POOL, 1 << 20);
    ByteBuffer b = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(0)).isEqualTo(0x04034b50);
    assertThat(b.getShort(6) & 0xFFFF).isEqualTo(0x0800); // UTF-8 names, no data descriptor
    assertThat(b.getShort(10)).isEqualTo((short) 0); // time 00:00:00
    assertThat(b.getShort(12)).isEqualTo((short) 0x21); // date 1980-01-01
    assertThat(b.getShort(28)).isEqualTo((short) 0); // extra length
  }

  @Test
  void sameFilesGiveTheSameBytesWhateverTheParallelism() throws Exception {
    Map<String, byte[]> files = sampleFiles();
    byte[] parallel = build(files, POOL, 1 << 20);
    byte[] sequential = build(files, Runnable::run, 1 << 20);
    byte[] tightBudget = build(files, POOL, 1);
    assertThat(sequential).isEqualTo(parallel);
    assertThat(tightBudget).isEqualTo(parallel);
    Map<String, byte[]> changed = new LinkedHashMap<>(files);
    changed.put("README.md", "# hello!\n".getBytes(StandardCharsets.UTF_8));
    assertThat(build(changed, POOL, 1 << 20)).isNotEqualTo(parallel);
  }

  @Test
  void largeFileFromDiskIsStreamedAndMatchesTheInMemoryPath() throws Exception {
    byte[] content = sampleFiles().get("src/App.tsx");
    Path raw = Files.write(temp.resolve("raw.bin"), content);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelZipWriter zip =
        new ParallelZipWriter(out, new EntryCompressor(1), POOL, 1 << 20, temp)) {
      zip.add("src/App.tsx", raw, content.length);
      zip.finish();
    }
    assertThat(raw).doesNotExist();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      ZipEntry e = in.getNextEntry();
      assertThat(e.getName()).isEqualTo("src/App.tsx");
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (var files = Files.list(temp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void moreThan65535EntriesUseZip64EndRecords() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      names.add(String.format("f/%06d.txt", i));
    }
    Collections.sort(names);
    byte[] one = {'x'};
    for (String n : names) {
      files.put(n, one);
    }
    Path file = Files.write(temp.resolve("many.zip"), build(files, POOL, 1 << 20));
    try (ZipFile zip = new ZipFile(file.toFile())) {
      assertThat(zip.size()).isEqualTo(70_000);
      assertThat(zip.getInputStream(zip.getEntry("f/069999.txt")).readAllBytes()).isEqualTo(one);
    }
  }

  @Test
  void aFailingEntryFailsTheBuild() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path missing = temp.resolve("missing.bin");
    assertThatThrownBy(
            () -> {
              try (ParallelZipWriter zip =
                  new ParallelZipWriter(out, new EntryCompressor(1), POOL, 1 << 20, temp)) {
                zip.add("a.txt", new byte[] {1});
                zip.add("b.bin", missing, 10);
                zip.finish();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("compressing failed: ")
        .hasMessageContaining("missing.bin");
  }

  @Test
  void compressedTypesAreRecognisedByExtension() {
    assertThat(CompressedTypes.isCompressed("img/a.PNG")).isTrue();
    assertThat(CompressedTypes.isCompressed("fonts/x.woff2")).isTrue();
    assertThat(CompressedTypes.isCompressed("src/a.ts")).isFalse();
    assertThat(CompressedTypes.isCompressed("png")).isFalse();
    assertThat(CompressedTypes.isCompressed("dir.png/readme")).isFalse();
    assertThat(CompressedTypes.isCompressed(".gz")).isFalse();
    assertThat(CompressedTypes.isCompressed("a.")).isFalse();
  }
}
