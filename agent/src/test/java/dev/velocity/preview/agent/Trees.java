package dev.velocity.preview.agent;

import dev.velocity.preview.protocol.ContentHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

  /** The regular files under {@code root} (outside {@code .preview-agent}) with their text. */
  public static Map<String, String> files(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(
              p -> {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith(".preview-agent/")) {
                  try {
                    out.put(rel, Files.readString(p));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
