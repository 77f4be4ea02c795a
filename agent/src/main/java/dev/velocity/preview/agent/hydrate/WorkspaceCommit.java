package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.fs.RefusedPathException;
import dev.velocity.preview.agent.fs.StateFile;
import dev.velocity.preview.agent.fs.TrackedPaths;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves a verified staging directory into the workspace. Redoable from any crash point (the {@link
 * CommitRecord} is written first, every step is idempotent, and each move takes its entry out of
 * staging): stale project files are deleted, staging is merged in by renames (a whole directory in
 * one rename when the workspace has none; file by file otherwise, each an atomic replace), the
 * tracked-path index and {@code state.json} are written, and the record is removed last. Files the
 * project never had (the dev server's {@code node_modules}) are kept.
 */
final class WorkspaceCommit {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final WorkspaceFs fs;
  private final AgentDir agentDir;
  private final StateFile stateFile;
  private int trashCounter;

  WorkspaceCommit(WorkspaceFs fs, AgentDir agentDir, StateFile stateFile) {
    this.fs = fs;
    this.agentDir = agentDir;
    this.stateFile = stateFile;
  }

  /** Completes the commit described by {@code record}. */
  void run(CommitRecord record) throws IOException {
    TrackedPaths tracked = agentDir.trackedPaths();
    Set<String> stale = tracked.readAll();
    stale.removeAll(new HashSet<>(record.paths()));
    for (String path : stale) {
      try {
        fs.delete(path);
      } catch (RefusedPathException e) {
        // a directory or symlinked parent where a stale file was: not the project's any more
      }
    }
    Path trashName = agentDir.newTempDir("trash-");
    try (SecureDirectoryStream<Path> agent = agentDir.open(fs);
        SecureDirectoryStream<Path> trash = agent.newDirectoryStream(trashName, NOFOLLOW)) {
      Path stagingName = Path.of(record.stagingName());
      if (WorkspaceFs.lstat(agent, stagingName) != null) {
        try (SecureDirectoryStream<Path> staging =
            agent.newDirectoryStream(stagingName, NOFOLLOW)) {
          merge(staging, fs.rootDir(), trash);
        }
      }
    }
    tracked.replace(record.paths());
    stateFile.write(new StateFile.State(record.projectId(), record.revision()));
    CommitRecord.clear(agentDir.path());
    agentDir.deleteTree(trashName);
    agentDir.deleteTree(Path.of(record.stagingName()));
  }

  private void merge(
      SecureDirectoryStream<Path> src,
      SecureDirectoryStream<Path> dst,
      SecureDirectoryStream<Path> trash)
      throws IOException {
    List<Path> names = new ArrayList<>();
    for (Path p : src) {
      names.add(p.getFileName());
    }
    for (Path name : names) {
      BasicFileAttributes s = WorkspaceFs.lstat(src, name);
      if (s == null) {
        continue;
      }
      BasicFileAttributes d = WorkspaceFs.lstat(dst, name);
      if (s.isDirectory()) {
        if (d == null) {
          src.move(name, dst, name);
        } else if (d.isDirectory() && !d.isSymbolicLink()) {
          try (SecureDirectoryStream<Path> childSrc = src.newDirectoryStream(name, NOFOLLOW);
              SecureDirectoryStream<Path> childDst = dst.newDirectoryStream(name, NOFOLLOW)) {
            merge(childSrc, childDst, trash);
          }
          try {
            src.deleteDirectory(name);
          } catch (DirectoryNotEmptyException e) {
            throw new IOException("staging directory " + name + " could not be emptied", e);
          }
        } else {
          dst.move(name, trash, nextTrashName());
          src.move(name, dst, name);
        }
      } else {
        if (d != null && d.isDirectory()) {
          dst.move(name, trash, nextTrashName());
        }
        // rename(2) replaces a file or a symlink itself, never what a symlink points to
        src.move(name, dst, name);
      }
    }
  }

  private Path nextTrashName() {
    return Path.of(Integer.toString(trashCounter++));
  }
}
