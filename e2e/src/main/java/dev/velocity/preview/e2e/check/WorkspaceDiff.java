package dev.velocity.preview.e2e.check;

import dev.velocity.preview.e2e.db.CurrentFile;
import dev.velocity.preview.protocol.ContentHash;
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
import java.util.TreeMap;

/**
 * Compares a workspace directory byte for byte with the project's current files ({@code
 * list_current_files}): files missing, extra (a leftover temp file counts as extra) or different.
 * The agent's reserved directory {@code .preview-agent} is not part of the project.
 *
 * @param missing paths in the database, absent on disk
 * @param extra regular files on disk the database does not have
 * @param different paths whose bytes differ
 * @param files files compared
 */
public record WorkspaceDiff(
    List<String> missing, List<String> extra, List<String> different, int files) {
  /** The agent's own directory inside the workspace. */
  public static final String AGENT_DIR = ".preview-agent";

  /** True when the workspace holds exactly the expected files. */
  public boolean isEmpty() {
    return missing.isEmpty() && extra.isEmpty() && different.isEmpty();
  }

  @Override
  public String toString() {
    return isEmpty()
        ? "identical (" + files + " files)"
        : "missing " + head(missing) + ", extra " + head(extra) + ", different " + head(different);
  }

  /** Compares {@code workspace} with {@code expected} (path → current file). */
  public static WorkspaceDiff compare(Path workspace, Map<String, CurrentFile> expected) {
    Map<String, Path> onDisk = listFiles(workspace);
    List<String> missing = new ArrayList<>();
    List<String> different = new ArrayList<>();
    for (CurrentFile f : expected.values()) {
      Path file = onDisk.get(f.path());
      if (file == null) {
        missing.add(f.path());
        continue;
      }
      try {
        String hash = ContentHash.sha256Hex(Files.readAllBytes(file));
        if (!hash.equals(f.contentHash())) {
          different.add(f.path());
        }
      } catch (IOException e) {
        missing.add(f.path());
      }
    }
    List<String> extra = new ArrayList<>();
    for (String path : onDisk.keySet()) {
      if (!expected.containsKey(path)) {
        extra.add(path);
      }
    }
    return new WorkspaceDiff(missing, extra, different, expected.size());
  }

  /** Relative path → file, for every regular file outside the agent's directory. */
  public static Map<String, Path> listFiles(Path workspace) {
    Map<String, Path> out = new TreeMap<>();
    if (!Files.isDirectory(workspace)) {
      return out;
    }
    try {
      Files.walkFileTree(
          workspace,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.equals(workspace.resolve(AGENT_DIR))
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                out.put(workspace.relativize(file).toString().replace('\\', '/'), file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // vanished while walking: a rename in flight
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + workspace, e);
    }
    return out;
  }

  private static String head(List<String> paths) {
    return paths.size() <= 5
        ? paths.toString()
        : paths.subList(0, 5) + " and " + (paths.size() - 5) + " more";
  }
}
