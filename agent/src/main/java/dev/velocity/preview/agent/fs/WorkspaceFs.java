package dev.velocity.preview.agent.fs;

import dev.velocity.preview.protocol.PathRules;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File operations inside the workspace that never follow a symbolic link: every directory on a path
 * is opened relative to its parent's descriptor with {@code O_NOFOLLOW} (a {@link
 * SecureDirectoryStream}), so a symlink planted by the dev server — even one swapped in between a
 * check and a write — cannot redirect a write or delete outside the workspace. Writes go to a temp
 * file in the same directory and are renamed over the target.
 */
public final class WorkspaceFs implements Closeable {
  /** The agent's reserved directory at the workspace root; project paths may not use it. */
  public static final String AGENT_DIR = ".preview-agent";

  private static final Set<StandardOpenOption> NEW_FILE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String TEMP_MARKER = ".preview-tmp-";

  private final Path root;
  private final SecureDirectoryStream<Path> rootDir;

  /** Opens the workspace at {@code root} (which must exist and be a directory). */
  public WorkspaceFs(Path root) throws IOException {
    this.root = root;
    this.rootDir = openSecure(root);
  }

  /** Opens {@code dir} as a secure directory stream (needs {@code openat}: Linux, macOS). */
  public static SecureDirectoryStream<Path> openSecure(Path dir) throws IOException {
    DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
    if (ds instanceof SecureDirectoryStream<Path> sds) {
      return sds;
    }
    ds.close();
    throw new IOException("this platform has no secure directory streams (openat); cannot run");
  }

  /** The workspace root. */
  public Path root() {
    return root;
  }

  /** The open root directory. */
  public SecureDirectoryStream<Path> rootDir() {
    return rootDir;
  }

  /** Why {@code path} may not be written as a project file (path rules, reserved directory). */
  public static Optional<String> projectPathViolation(String path) {
    Optional<String> why = PathRules.violation(path);
    if (why.isPresent()) {
      return why;
    }
    if (path.equals(AGENT_DIR) || path.startsWith(AGENT_DIR + "/")) {
      return Optional.of("uses the agent's reserved directory " + AGENT_DIR);
    }
    return Optional.empty();
  }

  /** Checks a project path for the path rules and the reserved directory. */
  public static void checkProjectPath(String path) throws RefusedPathException {
    Optional<String> why = projectPathViolation(path);
    if (why.isPresent()) {
      throw new RefusedPathException(path, why.get());
    }
  }

  /** Attributes of {@code name} in {@code dir} without following links, or null when absent. */
  public static BasicFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name)
      throws IOException {
    try {
      return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
          .readAttributes();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Observes a file about to be created (called before its temp file is written). */
  @FunctionalInterface
  public interface CreationListener {
    /** {@code path} does not exist yet and is about to be created. */
    void creating(String path) throws IOException;
  }

  /**
   * Writes {@code content} to {@code path}: temp file in the same directory, then an atomic rename.
   * Missing parent directories are created; an empty directory in the way is removed.
   *
   * @throws RefusedPathException when the path breaks the rules or crosses a symlink
   */
  public void write(String path, byte[] content, CreationListener listener)
      throws IOException, RefusedPathException {
    checkProjectPath(path);
    try (DirChain chain = open(path, true)) {
      SecureDirectoryStream<Path> dir = chain.parent();
      Path name = chain.name();
      BasicFileAttributes target = lstat(dir, name);
      if (target != null && target.isDirectory()) {
        try {
          dir.deleteDirectory(name);
        } catch (DirectoryNotEmptyException e) {
          throw new RefusedPathException(path, "is a non-empty directory in the workspace");
        }
        target = null;
      }
      if (target != null
          && target.isRegularFile()
          && target.size() == content.length
          && sameContent(dir, name, content)) {
        // a replayed event: leave the file (and its mtime, which dev servers watch) alone
        return;
      }
      if (target == null && listener != null) {
        // before the temp file exists: a writer killed mid-write leaves it in a directory the
        // next start sweeps (only directories of tracked paths are swept)
        listener.creating(path);
      }
      Path tmp = tempName(name);
      try {
        try (SeekableByteChannel ch = dir.newByteChannel(tmp, NEW_FILE)) {
          ByteBuffer buf = ByteBuffer.wrap(content);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
        dir.move(tmp, dir, name);
        tmp = null;
      } finally {
        if (tmp != null) {
          deleteQuietly(dir, tmp);
        }
      }
    }
  }

  private static boolean sameContent(SecureDirectoryStream<Path> dir, Path name, byte[] content)
      throws IOException {
    try (SeekableByteChannel ch =
        dir.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
      ByteBuffer existing = ByteBuffer.allocate(content.length);
      while (existing.hasRemaining() && ch.read(existing) > 0) {
        // read it all
      }
      return !existing.hasRemaining() && Arrays.equals(existing.array(), content);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes the file at {@code path} and then every parent directory that became empty (never the
   * workspace root). A missing file is not an error.
   *
   * @return true when a file was deleted
   * @throws RefusedPathException when the path breaks the rules, crosses a symlink or is a
   *     directory
   */
  public boolean delete(String path) throws IOException, RefusedPathException {
    checkProjectPath(path);
    try (DirChain chain = open(path, false)) {
      if (chain == null) {
        return false;
      }
      BasicFileAttributes target = lstat(chain.parent(), chain.name());
      if (target == null) {
        chain.removeEmptyParents();
        return false;
      }
      if (target.isDirectory()) {
        throw new RefusedPathException(path, "is a directory in the workspace, not a file");
      }
      try {
        chain.parent().deleteFile(chain.name());
      } catch (NoSuchFileException e) {
        return false;
      }
      chain.removeEmptyParents();
      return true;
    }
  }

  /**
   * Deletes temp files a killed writer left in the directories holding {@code paths} (only names of
   * the form {@code .NAME.preview-tmp-HEX} that are not project paths themselves).
   *
   * @return how many were deleted
   */
  public int sweepTempFiles(Set<String> paths) throws IOException {
    Set<String> dirs = new java.util.HashSet<>();
    for (String p : paths) {
      int slash = p.lastIndexOf('/');
      dirs.add(slash < 0 ? "" : p.substring(0, slash));
    }
    int deleted = 0;
    for (String dir : dirs) {
      if (projectPathViolation(dir.isEmpty() ? "x" : dir + "/x").isPresent()) {
        continue;
      }
      DirChain chain;
      try {
        chain = dir.isEmpty() ? null : open(dir + "/x", false);
      } catch (RefusedPathException e) {
        continue;
      }
      if (!dir.isEmpty() && chain == null) {
        continue;
      }
      try (SecureDirectoryStream<Path> d =
          dir.isEmpty() ? openSecure(root) : chain.parent().newDirectoryStream(Path.of("."))) {
        List<Path> temps = new ArrayList<>();
        for (Path entry : d) {
          String n = entry.getFileName().toString();
          String rel = dir.isEmpty() ? n : dir + "/" + n;
          if (n.startsWith(".") && n.contains(TEMP_MARKER) && !paths.contains(rel)) {
            temps.add(entry.getFileName());
          }
        }
        for (Path t : temps) {
          deleteQuietly(d, t);
          deleted++;
        }
      } finally {
        if (chain != null) {
          chain.close();
        }
      }
    }
    return deleted;
  }

  /**
   * Opens the directories above {@code path}'s last segment without following links.
   *
   * @param create create missing directories; when false a missing directory returns null
   */
  public DirChain open(String path, boolean create) throws IOException, RefusedPathException {
    String[] segments = path.split("/");
    List<SecureDirectoryStream<Path>> dirs = new ArrayList<>(segments.length);
    boolean ok = false;
    try {
      SecureDirectoryStream<Path> current = rootDir;
      Path currentPath = root;
      for (int i = 0; i < segments.length - 1; i++) {
        Path name = Path.of(segments[i]);
        currentPath = currentPath.resolve(name);
        BasicFileAttributes a = lstat(current, name);
        if (a == null) {
          if (!create) {
            return null;
          }
          try {
            // no mkdirat in the JDK: create by path, then reopen relative to the checked parent
            Files.createDirectory(currentPath);
          } catch (FileAlreadyExistsException raced) {
            // someone created it in between; the checks below decide whether it is usable
          }
          a = lstat(current, name);
          if (a == null) {
            throw new IOException("directory " + currentPath + " vanished while being created");
          }
        }
        if (a.isSymbolicLink()) {
          throw new RefusedPathException(
              path, "crosses a symbolic link at \"" + join(segments, i + 1) + "\"");
        }
        if (!a.isDirectory()) {
          throw new RefusedPathException(
              path, "\"" + join(segments, i + 1) + "\" is a file, not a directory");
        }
        try {
          current = current.newDirectoryStream(name, NOFOLLOW);
        } catch (IOException e) {
          BasicFileAttributes again = lstat(current, name);
          if (again != null && again.isSymbolicLink()) {
            throw new RefusedPathException(
                path, "crosses a symbolic link at \"" + join(segments, i + 1) + "\"");
          }
          throw e;
        }
        dirs.add(current);
      }
      ok = true;
      return new DirChain(rootDir, dirs, segments);
    } finally {
      if (!ok) {
        closeAll(dirs);
      }
    }
  }

  private static String join(String[] segments, int count) {
    return String.join("/", Arrays.copyOf(segments, count));
  }

  static Path tempName(Path name) {
    String n = name.toString();
    if (n.length() > 200) {
      n = n.substring(0, 200);
    }
    return Path.of(
        "." + n + TEMP_MARKER + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path name) {
    try {
      dir.deleteFile(name);
    } catch (IOException ignored) {
      // best effort: a leftover temp file is hidden and harmless
    }
  }

  private static void closeAll(List<SecureDirectoryStream<Path>> dirs) {
    for (SecureDirectoryStream<Path> d : dirs) {
      try {
        d.close();
      } catch (IOException ignored) {
        // closing a directory descriptor cannot lose data
      }
    }
  }

  @Override
  public void close() throws IOException {
    rootDir.close();
  }

  /** The open directories from the root down to a path's parent. */
  public static final class DirChain implements Closeable {
    private final SecureDirectoryStream<Path> root;
    private final List<SecureDirectoryStream<Path>> dirs;
    private final String[] segments;

    DirChain(SecureDirectoryStream<Path> root, List<SecureDirectoryStream<Path>> dirs, String[] s) {
      this.root = root;
      this.dirs = dirs;
      this.segments = s;
    }

    /** The directory holding the path's last segment. */
    public SecureDirectoryStream<Path> parent() {
      return dirs.isEmpty() ? root : dirs.get(dirs.size() - 1);
    }

    /** The path's last segment. */
    public Path name() {
      return Path.of(segments[segments.length - 1]);
    }

    /** Removes the chain's directories from the deepest up while they are empty. */
    public void removeEmptyParents() throws IOException {
      for (int i = dirs.size() - 1; i >= 0; i--) {
        SecureDirectoryStream<Path> holder = i == 0 ? root : dirs.get(i - 1);
        try {
          holder.deleteDirectory(Path.of(segments[i]));
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
          return;
        }
      }
    }

    @Override
    public void close() {
      closeAll(dirs);
    }
  }
}
