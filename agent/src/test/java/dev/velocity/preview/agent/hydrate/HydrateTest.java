package dev.velocity.preview.agent.hydrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.agent.AgentRun;
import dev.velocity.preview.agent.FileServer;
import dev.velocity.preview.agent.Trees;
import dev.velocity.preview.agent.fs.StateFile;
import dev.velocity.preview.protocol.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hydrate} end to end over real HTTP: success paths, re-hydration, retries, crashes. */
class HydrateTest {
  static final UUID PROJECT = UUID.fromString("0b7f3f0e-9b1c-4d7e-8f55-1c2d3e4f5a6b");
  static FileServer server;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws IOException {
    server = new FileServer();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** A zip as the snapshot builder writes it (java.util.zip: data descriptors, sorted). */
  static byte[] zip(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
        ZipEntry e = new ZipEntry(f.getKey());
        e.setTime(0);
        byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
        if (f.getKey().endsWith(".png")) {
          e.setMethod(ZipEntry.STORED);
          e.setSize(data.length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(data);
          e.setCrc(crc.getValue());
        }
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  Map<String, String> env(byte[] zip, long revision) {
    String url = server.put("/" + UUID.randomUUID() + ".zip", zip);
    Map<String, String> env = new HashMap<>();
    env.put("SNAPSHOT_URL", url);
    env.put("SNAPSHOT_SHA256", ContentHash.sha256Hex(zip));
    env.put("SNAPSHOT_REVISION", Long.toString(revision));
    env.put("PROJECT_ID", PROJECT.toString());
    env.put("WORKSPACE_DIR", tmp.resolve("ws").toString());
    env.put("STATE_DIR", tmp.resolve("state").toString());
    env.put("DOWNLOAD_BACKOFF_MS", "1");
    return env;
  }

  Path ws() {
    return tmp.resolve("ws");
  }

  StateFile.State state() throws IOException {
    return new StateFile(tmp.resolve("state")).read().orElseThrow();
  }

  @Test
  void hydratesSnapshotAndWritesState() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", "{\"name\":\"demo\"}");
    files.put("src/App.tsx", "export default function App() {}\n");
    files.put("src/components/deep/Button.tsx", "export const B = 1;\n");
    files.put("public/logo.png", "PNG-bytes");
    files.put("ünïcødé/名前.txt", "utf-8 names");
    AgentRun.Result r = AgentRun.inProcess(env(zip(files), 42), "hydrate");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("hydrated project " + PROJECT + " at revision 42: 5 files, ");
    assertThat(Trees.files(ws())).isEqualTo(new java.util.TreeMap<>(files));
    assertThat(state()).isEqualTo(new StateFile.State(PROJECT, 42));
    assertThat(Files.readString(tmp.resolve("state/state.json")))
        .isEqualTo("{\"projectId\":\"" + PROJECT + "\",\"revision\":42}\n");
    try (var s = Files.list(ws().resolve(".preview-agent"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("index");
    }
  }

  @Test
  void rehydrationReplacesProjectFilesAndKeepsDevServerFiles() throws IOException {
    Map<String, String> v1 = new HashMap<>();
    v1.put("index.html", "v1");
    v1.put("src/old.ts", "old");
    v1.put("src/keep.ts", "keep");
    v1.put("lib", "lib was a file");
    assertThat(AgentRun.inProcess(env(zip(v1), 1), "hydrate").code()).isZero();
    Files.createDirectories(ws().resolve("node_modules/react"));
    Files.writeString(ws().resolve("node_modules/react/index.js"), "dev server made this");
    Files.createDirectories(ws().resolve("assets"));
    Files.writeString(ws().resolve("assets/cache.bin"), "dev server cache in the way");
    Map<String, String> v2 = new HashMap<>();
    v2.put("index.html", "v2");
    v2.put("src/keep.ts", "keep");
    v2.put("lib/index.js", "lib is a directory now");
    v2.put("assets", "assets is a file now");
    AgentRun.Result r = AgentRun.inProcess(env(zip(v2), 2), "hydrate");
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, String> expected = new java.util.TreeMap<>(v2);
    expected.put("node_modules/react/index.js", "dev server made this");
    assertThat(Trees.files(ws())).isEqualTo(expected);
    assertThat(ws().resolve("src/old.ts")).doesNotExist();
    assertThat(state().revision()).isEqualTo(2);
  }

  @Test
  void skipsDownloadWhenStateIsCurrent() throws IOException {
    byte[] z = zip(Map.of("a.txt", "a"));
    Map<String, String> env = env(z, 5);
    assertThat(AgentRun.inProcess(env, "hydrate").code()).isZero();
    int before = server.requests();
    AgentRun.Result again = AgentRun.inProcess(env, "hydrate");
    assertThat(again.code()).isZero();
    assertThat(again.out())
        .isEqualTo("workspace already holds project " + PROJECT + " at revision 5\n");
    assertThat(server.requests()).isEqualTo(before);
  }

  @Test
  void currentWorkspaceStillLosesLeftoversOfAKilledRun() throws IOException {
    Map<String, String> env = env(zip(Map.of("a.txt", "a")), 5);
    assertThat(AgentRun.inProcess(env, "hydrate").code()).isZero();
    // what a run killed after clearing its commit record but before its cleanup leaves behind
    Path agentDir = ws().resolve(".preview-agent");
    Files.createDirectories(agentDir.resolve("trash-1f/0/deep"));
    Files.writeString(agentDir.resolve("trash-1f/0/deep/old.ts"), "old");
    Files.createDirectories(agentDir.resolve("staging-2e"));
    Files.writeString(agentDir.resolve("download-3d.zip"), "partial");

    AgentRun.Result again = AgentRun.inProcess(env, "hydrate");

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("already holds project " + PROJECT + " at revision 5");
    assertThat(Trees.files(ws())).isEqualTo(Map.of("a.txt", "a"));
    try (var s = Files.list(agentDir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("index");
    }
  }

  @Test
  void retriesServerErrors() throws IOException {
    byte[] z = zip(Map.of("a.txt", "a"));
    Map<String, String> env = env(z, 3);
    int before = server.requests();
    server.failNext(2);
    AgentRun.Result r = AgentRun.inProcess(env, "hydrate");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(server.requests() - before).isEqualTo(3);
    assertThat(Trees.files(ws())).isEqualTo(Map.of("a.txt", "a"));
  }

  @Test
  void givesUpAfterConfiguredAttempts() throws IOException {
    Map<String, String> env = env(zip(Map.of("a.txt", "a")), 3);
    env.put("DOWNLOAD_ATTEMPTS", "2");
    server.failNext(2);
    AgentRun.Result r = AgentRun.inProcess(env, "hydrate");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo("preview-agent hydrate: snapshot download failed after 2 attempts: HTTP 503\n");
    assertThat(Trees.snapshot(ws()).keySet()).containsExactly(".preview-agent");
  }

  @Test
  void unusableWorkspaceIsAnIoError() throws IOException {
    Files.writeString(tmp.resolve("ws"), "a file where the workspace volume should be");
    AgentRun.Result r = AgentRun.inProcess(env(zip(Map.of("a.txt", "a")), 1), "hydrate");
    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err())
        .isEqualTo(
            "preview-agent hydrate: hydrate failed: FileAlreadyExistsException: "
                + tmp.resolve("ws")
                + "\n");
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void finishesAnInterruptedCommitWithoutDownloading() throws IOException {
    Map<String, String> v1 = Map.of("a.txt", "one", "old/x.txt", "old");
    assertThat(AgentRun.inProcess(env(zip(v1), 1), "hydrate").code()).isZero();
    Map<String, String> v2 = new java.util.TreeMap<>();
    for (int i = 0; i < 50; i++) {
      v2.put("dir" + (i % 5) + "/f" + i + ".txt", "content " + i);
    }
    v2.put("a.txt", "two");
    // stage v2 exactly as hydrate does, write the commit record, then move part of it by hand
    Path zipFile = tmp.resolve("v2.zip");
    Files.write(zipFile, zip(v2));
    Path agentDir = ws().resolve(".preview-agent");
    Path staging = agentDir.resolve("staging-crashed");
    Files.createDirectory(staging);
    Extractor.Result x = new Extractor(ExtractionLimits.DEFAULTS).extract(zipFile, staging);
    List<String> paths = x.plan().files().stream().map(e -> e.path()).toList();
    new CommitRecord(PROJECT, 2, "staging-crashed", paths).write(agentDir);
    Files.move(staging.resolve("dir0"), ws().resolve("dir0"));
    Files.delete(ws().resolve("old/x.txt"));
    Files.move(staging.resolve("dir1/f1.txt"), ws().resolve("f1-moved-nowhere.tmp"));
    Files.delete(ws().resolve("f1-moved-nowhere.tmp"));
    Files.createDirectories(ws().resolve("dir1"));
    Files.writeString(ws().resolve("dir1/f1.txt"), "content 1");

    Map<String, String> env = env(new byte[] {1}, 2);
    server.status(java.net.URI.create(env.get("SNAPSHOT_URL")).getPath(), 403);
    AgentRun.Result r = AgentRun.inProcess(env, "hydrate");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("already holds project " + PROJECT + " at revision 2");
    assertThat(Trees.files(ws())).isEqualTo(v2);
    assertThat(state().revision()).isEqualTo(2);
    try (var s = Files.list(agentDir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("index");
    }
  }

  @Test
  void killedAtAnyPointRerunGivesTheRightWorkspace() throws Exception {
    Map<String, String> v1 = new java.util.TreeMap<>();
    Map<String, String> v2 = new java.util.TreeMap<>();
    for (int i = 0; i < 1200; i++) {
      v1.put("d" + (i % 40) + "/s" + (i % 7) + "/f" + i + ".ts", "v1 " + i);
      if (i % 3 != 0) {
        v2.put("d" + (i % 40) + "/s" + (i % 7) + "/f" + i + ".ts", "v2 " + i);
      }
    }
    v2.put("d1", "now a file");
    v1.remove("d1/s1/f1.ts");
    byte[] z1 = zip(v1);
    Map<String, String> env1 = env(z1, 1);
    assertThat(AgentRun.inProcess(env1, "hydrate").code()).isZero();
    v2.keySet().removeIf(k -> k.startsWith("d1/"));
    byte[] z2 = zip(v2);
    Map<String, String> env2 = env(z2, 2);
    env2.put("PATH", System.getenv("PATH"));
    Path log = tmp.resolve("hydrate.log");
    long[] delays = {60, 250, 450, 700};
    int killed = 0;
    for (long delay : delays) {
      Process p = AgentRun.start(env2, log, "hydrate");
      if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        killed++;
      }
      Map<String, String> files = Trees.files(ws());
      // whatever the crash point, the workspace is all of v1 or exactly v2 or a commit in progress
      boolean committing = Files.exists(ws().resolve(".preview-agent/commit"));
      assertThat(committing || files.equals(v1) || files.equals(v2))
          .as("kill after " + delay + " ms left an inconsistent workspace")
          .isTrue();
    }
    AgentRun.Result r = AgentRun.inProcess(env2, "hydrate");
    assertThat(r.code()).as(r.err() + Files.readString(log)).isZero();
    assertThat(Trees.files(ws())).isEqualTo(v2);
    assertThat(state().revision()).isEqualTo(2);
    assertThat(killed).as("at least one run was killed mid-way").isPositive();
    try (var s = Files.list(ws().resolve(".preview-agent"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("index");
    }
  }
}
