package dev.velocity.preview.e2e.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The directories of one pod on this machine, like {@code /var/lib/kubelet/pods/<uid>} and {@code
 * /var/log/pods}: {@code volumes/<volume>/}, {@code containers/<container>/root/} (the private root
 * standing in for the image filesystem) and {@code logs/<container>.log}.
 */
public record PodLayout(Path root) {
  static PodLayout of(Path kubeletRoot, String namespace, String name, String uid) {
    return new PodLayout(
        kubeletRoot
            .resolve("pods")
            .resolve(namespace + "_" + name + "_" + (uid == null ? "nouid" : uid)));
  }

  /** A volume's directory. */
  public Path volume(String volume) {
    return root.resolve("volumes").resolve(volume);
  }

  /** A container's private root. */
  public Path privateRoot(String container) {
    return root.resolve("containers").resolve(container).resolve("root");
  }

  /** A container's log file (appended across restarts). */
  public Path log(String container) {
    return root.resolve("logs").resolve(container + ".log");
  }

  void create() {
    try {
      Files.createDirectories(root.resolve("volumes"));
      Files.createDirectories(root.resolve("containers"));
      Files.createDirectories(root.resolve("logs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create pod directory " + root, e);
    }
  }

  void delete() {
    deleteTree(root);
  }

  /** Deletes a directory tree without following symlinks. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
