package dev.velocity.preview.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceFsTest {
  @TempDir Path tmp;
  Path ws;
  Path outside;

  @BeforeEach
  void setUp() throws IOException {
    ws = Files.createDirectories(tmp.resolve("ws"));
    outside = Files.createDirectories(tmp.resolve("outside"));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesThroughTempFileCreatingParentsAndReportsNewFiles() throws Exception {
    List<String> created = new ArrayList<>();
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      fs.write("a/b/c.txt", utf8("one"), created::add);
      fs.write("a/b/c.txt", utf8("two"), created::add);
    }
    assertThat(Files.readString(ws.resolve("a/b/c.txt"))).isEqualTo("two");
    assertThat(created).containsExactly("a/b/c.txt");
    try (var s = Files.list(ws.resolve("a/b"))) {
      assertThat(s).containsExactly(ws.resolve("a/b/c.txt"));
    }
  }

  @Test
  void identicalContentLeavesTheFileAlone() throws Exception {
    Path f = ws.resolve("same.txt");
    Files.writeString(f, "content");
    FileTime old = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(f, old);
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      fs.write("same.txt", utf8("content"), p -> {});
      assertThat(Files.getLastModifiedTime(f)).isEqualTo(old);
      fs.write("same.txt", utf8("changed"), p -> {});
    }
    assertThat(Files.getLastModifiedTime(f)).isNotEqualTo(old);
    assertThat(Files.readString(f)).isEqualTo("changed");
  }

  @Test
  void deleteRemovesEmptyParentsButNotTheRootOrNonEmptyOnes() throws Exception {
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      fs.write("x/y/z/file.txt", utf8("1"), p -> {});
      fs.write("x/keep.txt", utf8("2"), p -> {});
      fs.write("top.txt", utf8("3"), p -> {});
      assertThat(fs.delete("x/y/z/file.txt")).isTrue();
      assertThat(ws.resolve("x/y")).doesNotExist();
      assertThat(ws.resolve("x/keep.txt")).exists();
      assertThat(fs.delete("x/y/z/file.txt")).isFalse();
      assertThat(fs.delete("top.txt")).isTrue();
      assertThat(fs.delete("x/keep.txt")).isTrue();
    }
    assertThat(ws).isEmptyDirectory();
  }

  @Test
  void aNewFileIsReportedBeforeItsTempFileExistsSoAKilledFirstWriteIsSwept() throws Exception {
    // found by the chaos suite: the sync agent killed while writing a new 5 MiB file left its temp
    // file behind, because the path was journaled only after the temp file was written
    List<List<String>> seen = new ArrayList<>();
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      fs.write(
          "big/blob.txt",
          utf8("x".repeat(1 << 20)),
          path -> {
            try (var s = Files.list(ws.resolve("big"))) {
              seen.add(s.map(p -> p.getFileName().toString()).toList());
            }
          });
    }
    assertThat(seen).containsExactly(List.of());
    Files.writeString(ws.resolve("big/.blob.txt.preview-tmp-7a"), "half written");
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      assertThat(fs.sweepTempFiles(java.util.Set.of("big/blob.txt"))).isEqualTo(1);
    }
    try (var s = Files.list(ws.resolve("big"))) {
      assertThat(s).containsExactly(ws.resolve("big/blob.txt"));
    }
  }

  @Test
  void sweepsTempFilesLeftByAKilledWriter() throws Exception {
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("src/a.ts"), "a");
    Files.writeString(ws.resolve("src/.a.ts.preview-tmp-1f2e"), "half written");
    Files.writeString(ws.resolve(".top.preview-tmp-99"), "half written");
    Files.writeString(ws.resolve("src/.env"), "dev server file");
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      assertThat(fs.sweepTempFiles(java.util.Set.of("src/a.ts", "top", "gone/x.ts"))).isEqualTo(2);
    }
    try (var s = Files.walk(ws)) {
      assertThat(s.map(p -> ws.relativize(p).toString()))
          .containsExactlyInAnyOrder("", "src", "src/a.ts", "src/.env");
    }
  }

  @Test
  void neverFollowsSymlinks() throws Exception {
    Files.createSymbolicLink(ws.resolve("linked"), outside);
    Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createDirectories(ws.resolve("src"));
    Files.createSymbolicLink(ws.resolve("src/target.txt"), secret);
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      assertThatThrownBy(() -> fs.write("linked/x.txt", utf8("x"), p -> {}))
          .isInstanceOf(RefusedPathException.class)
          .hasMessage("refused path \"linked/x.txt\": crosses a symbolic link at \"linked\"");
      assertThatThrownBy(() -> fs.delete("linked/secret.txt"))
          .isInstanceOf(RefusedPathException.class)
          .hasMessage("refused path \"linked/secret.txt\": crosses a symbolic link at \"linked\"");
      // a symlink at the target itself is replaced, not written through
      fs.write("src/target.txt", utf8("mine"), p -> {});
    }
    assertThat(Files.readString(secret)).isEqualTo("secret");
    assertThat(Files.isSymbolicLink(ws.resolve("src/target.txt"))).isFalse();
    assertThat(Files.readString(ws.resolve("src/target.txt"))).isEqualTo("mine");
    try (var s = Files.list(outside)) {
      assertThat(s).containsExactly(secret);
    }
  }

  @Test
  void refusesRuleBreakingPathsAndFilesInTheWay() throws Exception {
    Files.writeString(ws.resolve("afile"), "f");
    Files.createDirectories(ws.resolve("adir/sub"));
    Files.createDirectories(ws.resolve("empty"));
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      assertThatThrownBy(() -> fs.write("../x", utf8("x"), p -> {}))
          .hasMessage("refused path \"../x\": path has a '..' segment");
      assertThatThrownBy(() -> fs.write("/abs", utf8("x"), p -> {}))
          .hasMessage("refused path \"/abs\": path must be relative (it starts with '/')");
      assertThatThrownBy(() -> fs.write(".preview-agent/journal", utf8("x"), p -> {}))
          .hasMessage(
              "refused path \".preview-agent/journal\": uses the agent's reserved directory"
                  + " .preview-agent");
      assertThatThrownBy(() -> fs.write("afile/child", utf8("x"), p -> {}))
          .hasMessage("refused path \"afile/child\": \"afile\" is a file, not a directory");
      assertThatThrownBy(() -> fs.write("adir", utf8("x"), p -> {}))
          .hasMessage("refused path \"adir\": is a non-empty directory in the workspace");
      assertThatThrownBy(() -> fs.delete("adir"))
          .hasMessage("refused path \"adir\": is a directory in the workspace, not a file");
      fs.write("empty", utf8("now a file"), p -> {});
    }
    assertThat(Files.readString(ws.resolve("empty"))).isEqualTo("now a file");
    assertThat(tmp.resolve("x")).doesNotExist();
  }
}
