package dev.velocity.preview.agent;

import dev.velocity.preview.protocol.ContentHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Whole-tree snapshots for "nothing changed" and "exactly this content" assertions. */
public final class Trees {
  private Trees() {}

  /** Every entry under {@code root}: relative path to "dir", "link:target" or content hash. */
  public static Map<String, String> snapshot(Path root) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.equals(root))
          .forEach(
              p -> {
                String rel = root.relativize(p).toString();
                try {
                  if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link:" + Files.readSymbolicLink(p));
                  } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                  } else {
                    out.put(rel, ContentHash.sha256Hex(Files.readAllBytes(p)));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The regular files under {@code root} (outside {@code .preview-agent}) with their text. Files
   * that vanish while the tree is read (an agent at work) are left out, so a poll sees "not yet".
   */
  public static Map<String, String> files(Path root) {
    Map<String, String> out = new TreeMap<>();
    Path reserved = root.resolve(".preview-agent");
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.equals(reserved) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
              if (attrs.isRegularFile()) {
                try {
                  out.put(root.relativize(p).toString(), Files.readString(p));
                } catch (NoSuchFileException e) {
                  // moved away mid-read
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
