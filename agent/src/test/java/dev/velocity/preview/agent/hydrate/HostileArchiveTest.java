package dev.velocity.preview.agent.hydrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.agent.FileServer;
import dev.velocity.preview.agent.Main;
import dev.velocity.preview.agent.RawZip;
import dev.velocity.preview.agent.Trees;
import dev.velocity.preview.protocol.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-archive corpus: each archive is forged byte by byte, served over real HTTP, and
 * hydrated over a workspace that already holds revision 1. Each must fail with its exit code and
 * exact stderr line, and leave the workspace, the agent directory and state.json exactly as they
 * were.
 */
class HostileArchiveTest {
  static final String PROJECT = "6a0f7c52-4c3e-4a53-9d2e-2f1b8e7d9c10";
  static FileServer server;

  @TempDir Path tmp;
  Path ws;
  Path state;

  @BeforeAll
  static void startServer() throws Exception {
    server = new FileServer();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void hydrateBaseline() {
    ws = tmp.resolve("ws");
    state = tmp.resolve("state");
    RawZip good = new RawZip();
    good.file("index.html", "<html></html>", 8);
    good.file("src/app.ts", "export {};\n", 0);
    Result r = hydrate(good.bytes(), 1, Map.of());
    assertThat(r.code).as(r.err).isZero();
  }

  record Case(String name, Supplier<byte[]> zip, Map<String, String> env, int exit, String line) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case unsafe(String name, Supplier<byte[]> zip, String message) {
    return new Case(name, zip, Map.of(), 5, "snapshot archive refused: " + message);
  }

  static Case limit(String name, Supplier<byte[]> zip, Map<String, String> env, String message) {
    return new Case(name, zip, env, 6, "snapshot archive refused: " + message);
  }

  static Supplier<byte[]> one(String name, String content) {
    return () -> {
      RawZip z = new RawZip();
      z.file("ok.txt", "fine", 8);
      z.file(name, content, 8);
      return z.bytes();
    };
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static Stream<Arguments> corpus() {
    List<Case> cases =
        List.of(
            unsafe(
                "zip slip",
                one("../evil.txt", "x"),
                "entry \"../evil.txt\" has an unsafe path: path has a '..' segment"),
            unsafe(
                "nested zip slip",
                one("src/../../evil.txt", "x"),
                "entry \"src/../../evil.txt\" has an unsafe path: path has a '..' segment"),
            unsafe(
                "absolute path",
                one("/etc/cron.d/evil", "x"),
                "entry \"/etc/cron.d/evil\" has an unsafe path: path must be relative (it starts with '/')"),
            unsafe(
                "backslash path",
                one("src\\..\\..\\evil.txt", "x"),
                "entry \"src\\..\\..\\evil.txt\" has an unsafe path: path contains a backslash"),
            unsafe(
                "control character",
                one("a\u0001b.txt", "x"),
                "entry \"a\\u0001b.txt\" has an unsafe path: path contains the control character U+0001 at index 1"),
            unsafe(
                "reserved agent directory",
                one(".preview-agent/index", "../../etc/passwd\n"),
                "entry \".preview-agent/index\" has an unsafe path: uses the agent's reserved directory .preview-agent"),
            unsafe(
                "symlink entry",
                () -> {
                  RawZip z = new RawZip();
                  z.file("link", "/etc/passwd", 0).unixMode = 0120777;
                  return z.bytes();
                },
                "entry \"link\" is a symbolic link"),
            unsafe(
                "fifo entry",
                () -> {
                  RawZip z = new RawZip();
                  z.file("pipe", "", 0).unixMode = 010644;
                  return z.bytes();
                },
                "entry \"pipe\" is a special file (mode 010644)"),
            unsafe(
                "duplicate names",
                () -> {
                  RawZip z = new RawZip();
                  z.file("src/a.ts", "one", 8);
                  z.file("src/a.ts", "two", 8);
                  return z.bytes();
                },
                "entry \"src/a.ts\" is a duplicate (the archive holds it twice)"),
            unsafe(
                "case-folding collision",
                () -> {
                  RawZip z = new RawZip();
                  z.file("README.md", "one", 8);
                  z.file("readme.md", "two", 8);
                  return z.bytes();
                },
                "entry \"readme.md\" collides with \"README.md\" on a case-insensitive filesystem"),
            unsafe(
                "directory case collision",
                () -> {
                  RawZip z = new RawZip();
                  z.file("Src/a.ts", "one", 8);
                  z.file("src/b.ts", "two", 8);
                  return z.bytes();
                },
                "entry \"src/b.ts\" directory \"src\" collides with \"Src\" on a case-insensitive filesystem"),
            unsafe(
                "unicode normalisation collision",
                () -> {
                  RawZip z = new RawZip();
                  z.file("caf\u00e9.txt", "nfc", 8);
                  z.file("cafe\u0301.txt", "nfd", 8);
                  return z.bytes();
                },
                "entry \"cafe\u0301.txt\" collides with \"caf\u00e9.txt\" on a case-insensitive filesystem"),
            unsafe(
                "file and directory",
                () -> {
                  RawZip z = new RawZip();
                  z.file("lib", "a file", 8);
                  z.file("lib/index.js", "inside a dir", 8);
                  return z.bytes();
                },
                "entry \"lib\" is a file in one entry and a directory in another"),
            unsafe(
                "encrypted entry",
                () -> {
                  RawZip z = new RawZip();
                  z.file("secret.txt", "xxxx", 0).flags |= 1;
                  return z.bytes();
                },
                "entry \"secret.txt\" is encrypted (encrypted entries are not supported)"),
            unsafe(
                "unsupported method",
                () -> {
                  RawZip z = new RawZip();
                  RawZip.Entry e = z.file("a.bz2", "xxxx", 0);
                  e.method = 12;
                  e.localMethod = 12;
                  return z.bytes();
                },
                "entry \"a.bz2\" uses compression method 12 (only stored and deflate)"),
            unsafe(
                "local name differs from central directory",
                () -> {
                  RawZip z = new RawZip();
                  z.file("safe.txt", "x", 8).localName =
                      "../ev.txt".getBytes(StandardCharsets.UTF_8);
                  return z.bytes();
                },
                "entry \"safe.txt\" local header names a different file than the central directory"),
            unsafe(
                "local size differs from central directory",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "hello world", 8).localUsize = 5;
                  return z.bytes();
                },
                "entry \"a.txt\" local header disagrees with the central directory (size or CRC)"),
            unsafe(
                "local method differs from central directory",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "hello world", 8).localMethod = 0;
                  return z.bytes();
                },
                "entry \"a.txt\" local header disagrees with the central directory (method or flags)"),
            unsafe(
                "crc mismatch",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "hello world", 8).crc ^= 0x5a5a;
                  return z.bytes();
                },
                "entry \"a.txt\" CRC mismatch (content is corrupt)"),
            unsafe(
                "declared size too small",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "hello world, hello world", 8).usize = 5;
                  return z.bytes();
                },
                "entry \"a.txt\" size mismatch: declared 5 bytes, found 24"),
            unsafe(
                "corrupt deflate stream",
                () -> {
                  RawZip z = new RawZip();
                  RawZip.Entry e = z.file("a.txt", "hello world", 8);
                  e.compressed = new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5};
                  e.csize = e.compressed.length;
                  return z.bytes();
                },
                "entry \"a.txt\" deflate data is corrupt (invalid block type)"),
            unsafe(
                "truncated archive",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "hello world", 8);
                  byte[] b = z.bytes();
                  return Arrays.copyOf(b, b.length - 10);
                },
                "not a zip archive or truncated (no end of central directory record)"),
            unsafe(
                "truncated in the middle",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", new String(new char[4000]).replace('\0', 'a'), 0);
                  byte[] b = z.bytes();
                  byte[] cut = new byte[b.length - 1000];
                  System.arraycopy(b, 0, cut, 0, 2000);
                  System.arraycopy(b, 3000, cut, 2000, b.length - 3000);
                  return cut;
                },
                "truncated archive (central directory lies outside the file)"),
            unsafe(
                "overlapping entries",
                () -> {
                  RawZip inner = new RawZip();
                  inner.file("b.txt", "hidden", 0);
                  byte[] innerBytes = inner.bytes();
                  RawZip z = new RawZip();
                  z.file("a.txt", new String(innerBytes, StandardCharsets.ISO_8859_1), 0).name =
                      "a.txt".getBytes(StandardCharsets.UTF_8);
                  RawZip.Entry hidden = z.file("b.txt", "hidden", 0);
                  hidden.forcedOffset = 30 + 5;
                  return z.bytes();
                },
                "entry \"b.txt\" overlaps the previous entry"),
            unsafe(
                "name is not UTF-8",
                () -> {
                  RawZip z = new RawZip();
                  z.add(new byte[] {'a', (byte) 0xC3, '(', '.', 't'}, new byte[] {1}, 0);
                  return z.bytes();
                },
                "entry \"a\ufffd(.t\" name is not UTF-8"),
            unsafe(
                "multi-disk archive",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "x", 8);
                  z.eocdDiskOverride = 1;
                  return z.bytes();
                },
                "multi-disk archives are not supported"),
            unsafe(
                "entry count disagrees with directory",
                () -> {
                  RawZip z = new RawZip();
                  z.file("a.txt", "x", 8);
                  z.file("b.txt", "y", 8);
                  z.eocdEntriesOverride = 3;
                  return z.bytes();
                },
                "corrupt central directory (record 3 of 3)"),
            limit(
                "zip bomb by ratio",
                () -> {
                  RawZip z = new RawZip();
                  z.file("bomb.bin", new byte[20 << 20]);
                  return z.bytes();
                },
                Map.of(),
                "entry \"bomb.bin\" has a compression ratio above MAX_RATIO (200:1), a zip bomb"),
            limit(
                "zip bomb by total",
                () -> {
                  RawZip z = new RawZip();
                  for (int i = 0; i < 6; i++) {
                    z.file("part" + i + ".bin", random(300_000 + i));
                  }
                  return z.bytes();
                },
                Map.of("MAX_TOTAL_BYTES", "1048576"),
                "archive inflates to more than MAX_TOTAL_BYTES (1048576 bytes)"),
            limit(
                "file larger than the limit",
                () -> {
                  RawZip z = new RawZip();
                  z.file("big.bin", random(5000));
                  return z.bytes();
                },
                Map.of("MAX_FILE_BYTES", "4096"),
                "entry \"big.bin\" is larger than MAX_FILE_BYTES (4096 bytes)"),
            limit(
                "declared size lies below the limit",
                () -> {
                  RawZip z = new RawZip();
                  RawZip.Entry e = z.file("liar.bin", random(50_000));
                  e.usize = 100;
                  e.localUsize = 100;
                  return z.bytes();
                },
                Map.of("MAX_FILE_BYTES", "4096"),
                "entry \"liar.bin\" is larger than MAX_FILE_BYTES (4096 bytes)"),
            limit(
                "too many entries",
                () -> {
                  RawZip z = new RawZip();
                  for (int i = 0; i < 6; i++) {
                    z.file("f" + i, "x", 8);
                  }
                  return z.bytes();
                },
                Map.of("MAX_ENTRIES", "5"),
                "archive has 6 entries, more than MAX_ENTRIES (5)"));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void refusesHostileArchive(Case c) {
    Map<String, String> before = Trees.snapshot(tmp);
    Result r = hydrate(c.zip.get(), 2, c.env);
    assertThat(r.code).as(r.err).isEqualTo(c.exit);
    assertThat(r.err).isEqualTo("preview-agent hydrate: " + c.line + "\n");
    assertThat(Trees.snapshot(tmp)).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void refusesSha256Mismatch() {
    Map<String, String> before = Trees.snapshot(tmp);
    RawZip z = new RawZip();
    z.file("a.txt", "x", 8);
    byte[] bytes = z.bytes();
    String url = server.put("/bad-sha.zip", bytes);
    String wrong = ContentHash.sha256Hex("something else");
    Result r = run(url, wrong, 2, Map.of());
    assertThat(r.code).isEqualTo(4);
    assertThat(r.err)
        .isEqualTo(
            "preview-agent hydrate: snapshot sha256 mismatch: expected "
                + wrong
                + ", got "
                + ContentHash.sha256Hex(bytes)
                + "\n");
    assertThat(Trees.snapshot(tmp)).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void reportsExpiredUrl() {
    Map<String, String> before = Trees.snapshot(tmp);
    String url = server.put("/expired.zip", new byte[] {1});
    server.status("/expired.zip", 403);
    Result r = run(url, ContentHash.sha256Hex(new byte[] {1}), 2, Map.of());
    assertThat(r.code).isEqualTo(3);
    assertThat(r.err)
        .isEqualTo("preview-agent hydrate: snapshot URL expired or invalid (HTTP 403)\n");
    assertThat(Trees.snapshot(tmp)).isEqualTo(before);
  }

  record Result(int code, String out, String err) {}

  private int counter;

  Result hydrate(byte[] zip, long revision, Map<String, String> extra) {
    String url = server.put("/snap-" + System.nanoTime() + "-" + counter++ + ".zip", zip);
    return run(url, ContentHash.sha256Hex(zip), revision, extra);
  }

  Result run(String url, String sha, long revision, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("SNAPSHOT_URL", url);
    env.put("SNAPSHOT_SHA256", sha);
    env.put("SNAPSHOT_REVISION", Long.toString(revision));
    env.put("PROJECT_ID", PROJECT);
    env.put("WORKSPACE_DIR", ws.toString());
    env.put("STATE_DIR", state.toString());
    env.put("DOWNLOAD_BACKOFF_MS", "1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"hydrate"},
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
