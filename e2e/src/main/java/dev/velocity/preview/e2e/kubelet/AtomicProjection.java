package dev.velocity.preview.e2e.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a Secret/ConfigMap/downward-API volume the way a kubelet's atomic writer does, so a reader
 * never sees a half-updated set of files: the payload goes into a fresh hidden directory {@code
 * ..<stamp>}, the symlink {@code ..data} is swapped to it by one {@code rename(2)}, and each
 * visible top-level name is a symlink {@code name -> ..data/name}. Readers that re-open the file
 * (the agent re-reads its token on every connect) see the new content at once.
 */
final class AtomicProjection {
  private static final String DATA = "..data";
  private static final AtomicLong STAMP = new AtomicLong();

  private AtomicProjection() {}

  /**
   * Makes {@code dir} hold exactly {@code files} (relative path → bytes). Returns false when the
   * content was already there (nothing written).
   */
  static boolean write(Path dir, Map<String, byte[]> files, int mode) {
    try {
      Files.createDirectories(dir);
      Path link = dir.resolve(DATA);
      if (Files.isSymbolicLink(link) && sameContent(link, files)) {
        return false;
      }
      Path next = dir.resolve(".." + System.currentTimeMillis() + "_" + STAMP.incrementAndGet());
      Files.createDirectory(next);
      for (Map.Entry<String, byte[]> e : new TreeMap<>(files).entrySet()) {
        Path file = next.resolve(e.getKey()).normalize();
        if (!file.startsWith(next)) {
          throw new IllegalArgumentException("projected path escapes the volume: " + e.getKey());
        }
        Files.createDirectories(file.getParent());
        Files.write(file, e.getValue());
        setMode(file, mode);
      }
      Path previous = Files.isSymbolicLink(link) ? dir.resolve(Files.readSymbolicLink(link)) : null;
      Path tmpLink = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, next.getFileName());
      Files.move(
          tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Set<String> visible = new HashSet<>();
      files.keySet().forEach(k -> visible.add(k.split("/", 2)[0]));
      for (String name : visible) {
        Path entry = dir.resolve(name);
        if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(entry, Path.of(DATA, name));
        }
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (!name.startsWith("..") && !visible.contains(name)) {
            Files.deleteIfExists(entry);
          }
        }
      }
      if (previous != null && !previous.equals(next)) {
        PodLayout.deleteTree(previous);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot project files into " + dir, e);
    }
  }

  private static boolean sameContent(Path data, Map<String, byte[]> files) throws IOException {
    Path current = data.toRealPath();
    int count;
    try (var walk = Files.walk(current)) {
      count = (int) walk.filter(Files::isRegularFile).count();
    }
    if (count != files.size()) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = current.resolve(e.getKey());
      if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static void setMode(Path file, int mode) throws IOException {
    Set<PosixFilePermission> perms = new HashSet<>();
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    // the kubelet process itself must stay able to replace the file later
    perms.add(PosixFilePermission.OWNER_READ);
    Files.setPosixFilePermissions(file, perms);
  }
}
