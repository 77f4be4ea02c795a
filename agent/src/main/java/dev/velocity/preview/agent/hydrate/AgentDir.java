package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.fs.TrackedPaths;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent's reserved directory {@code WORKSPACE_DIR/.preview-agent} (mode 0700): downloads,
 * staging and trash directories (on the workspace volume, so moves are renames), the commit record,
 * and the tracked-path index and journal.
 */
public final class AgentDir {
  private final Path path;

  private AgentDir(Path path) {
    this.path = path;
  }

  /** Ensures the reserved directory under {@code workspace} is a real directory (not a link). */
  public static AgentDir ensure(Path workspace) throws IOException {
    Path dir = workspace.resolve(WorkspaceFs.AGENT_DIR);
    BasicFileAttributes a = attrs(dir);
    if (a != null && (a.isSymbolicLink() || !a.isDirectory())) {
      Files.delete(dir);
      a = null;
    }
    if (a == null) {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return new AgentDir(dir);
  }

  /** The directory's path. */
  public Path path() {
    return path;
  }

  /** The tracked-path index and journal. */
  public TrackedPaths trackedPaths() {
    return new TrackedPaths(path);
  }

  /** Opens the directory relative to the workspace root without following links. */
  SecureDirectoryStream<Path> open(WorkspaceFs fs) throws IOException {
    return fs.rootDir()
        .newDirectoryStream(Path.of(WorkspaceFs.AGENT_DIR), LinkOption.NOFOLLOW_LINKS);
  }

  /** Creates a fresh, uniquely named directory and returns its name. */
  Path newTempDir(String prefix) throws IOException {
    Path name = Path.of(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    Files.createDirectory(path.resolve(name));
    return name;
  }

  /** A fresh file name for a download. */
  Path newDownloadFile() {
    return path.resolve(
        "download-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".zip");
  }

  /** Deletes leftovers of interrupted runs, except the staging directory {@code keep}. */
  void removeLeftovers(String keep) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        boolean temp =
            n.startsWith("staging-")
                || n.startsWith("trash-")
                || n.startsWith("download-")
                || (n.startsWith(".") && n.contains(".tmp-"));
        if (temp && !n.equals(keep)) {
          deleteTree(p.getFileName());
        }
      }
    }
  }

  /** Deletes {@code name} (relative to this directory) recursively, never following links. */
  void deleteTree(Path name) throws IOException {
    Path root = path.resolve(name);
    if (attrs(root) == null) {
      return;
    }
    deleteRecursively(root);
  }

  /**
   * Deletes {@code root} and everything under it; a symbolic link is deleted, never followed (the
   * file walk does not follow links).
   */
  public static void deleteRecursively(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static BasicFileAttributes attrs(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
