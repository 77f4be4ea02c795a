package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.check.WorkspaceDiff;
import dev.velocity.preview.e2e.db.CurrentFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session's workspace against its project: the byte-for-byte diff ({@link WorkspaceDiff}, which
 * skips only the agent's own {@code .preview-agent} directory) plus the agent's temp files anywhere
 * in the workspace, its own directory included (staging, trash and download leftovers of a killed
 * hydration, and the {@code .name.tmp-*} files of an interrupted write).
 *
 * @param session the session
 * @param diff missing, extra and different files ({@code null} when the pod does not run)
 * @param tempFiles leftover temp files (relative paths)
 */
record WorkspaceCheck(String session, WorkspaceDiff diff, List<String> tempFiles) {
  boolean clean() {
    return diff != null && diff.isEmpty() && tempFiles.isEmpty();
  }

  /** Paths that differ from the database: missing, extra or with other bytes. */
  int mismatchedPaths() {
    return diff == null
        ? -1
        : diff.missing().size() + diff.extra().size() + diff.different().size();
  }

  @Override
  public String toString() {
    if (diff == null) {
      return session + ": no running pod";
    }
    return session + ": " + diff + (tempFiles.isEmpty() ? "" : ", temp files " + tempFiles);
  }

  static WorkspaceCheck of(String session, Path workspace, Map<String, CurrentFile> expected) {
    if (workspace == null || !Files.isDirectory(workspace)) {
      return new WorkspaceCheck(session, null, List.of());
    }
    return new WorkspaceCheck(
        session, WorkspaceDiff.compare(workspace, expected), tempFiles(workspace));
  }

  static List<String> tempFiles(Path workspace) {
    List<String> found = new ArrayList<>();
    Path agentDir = workspace.resolve(WorkspaceDiff.AGENT_DIR);
    try {
      Files.walkFileTree(
          workspace,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(workspace) && isTemp(dir, agentDir)) {
                found.add(workspace.relativize(dir).toString());
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (isTemp(file, agentDir)) {
                found.add(workspace.relativize(file).toString());
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // renamed while walking
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + workspace, e);
    }
    return found;
  }

  private static boolean isTemp(Path p, Path agentDir) {
    String n = p.getFileName().toString();
    if (n.startsWith(".") && n.contains(".tmp-")) {
      return true;
    }
    return agentDir.equals(p.getParent())
        && (n.startsWith("staging-") || n.startsWith("trash-") || n.startsWith("download-"));
  }
}
