package dev.velocity.preview.agent.sync;

import dev.velocity.preview.agent.Log;
import dev.velocity.preview.agent.fs.RefusedPathException;
import dev.velocity.preview.agent.fs.TrackedPaths;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.EventType;
import dev.velocity.preview.protocol.FileChange;
import dev.velocity.preview.protocol.ProjectEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Applies file events to the workspace strictly in revision order: an event at or below the applied
 * revision is a duplicate (skipped), one beyond the next revision is a gap (the caller reconnects).
 * Content hashes are checked before anything is written; a path that is refused (rules, reserved
 * directory, symlink, directory in the way) is logged and counted and the event still counts as
 * applied, so one bad path never stalls the stream.
 */
public final class EventApplier {
  /** What {@link #apply} did. */
  public enum Outcome {
    /** Written to disk; the applied revision moved on. */
    APPLIED,
    /** Not newer than the applied revision: skipped. */
    DUPLICATE,
    /** Newer than the next revision: the stream lost events. */
    GAP,
    /** A content hash does not match its content: nothing was written. */
    HASH_MISMATCH,
    /**
     * A file's bytes are not in the event (a binary file, whose bytes live in object storage):
     * nothing was written; only a snapshot can deliver them.
     */
    NEEDS_SNAPSHOT,
    /** Not a file event (the caller handles control events). */
    IGNORED
  }

  private final WorkspaceFs fs;
  private final TrackedPaths tracked;
  private final SyncMetrics metrics;
  private long appliedRevision;

  /** An applier over {@code fs} whose workspace holds {@code appliedRevision}. */
  public EventApplier(
      WorkspaceFs fs, TrackedPaths tracked, SyncMetrics metrics, long appliedRevision) {
    this.fs = fs;
    this.tracked = tracked;
    this.metrics = metrics;
    this.appliedRevision = appliedRevision;
  }

  /** The last revision whose changes are on disk. */
  public long appliedRevision() {
    return appliedRevision;
  }

  /** After a re-hydration: the workspace now holds {@code revision}. */
  public void reset(long revision) {
    appliedRevision = revision;
  }

  /** Applies {@code event}. */
  public Outcome apply(ProjectEvent event) throws IOException {
    String type = event.type();
    if (!EventType.FILE_UPDATE.equals(type)
        && !EventType.FILE_DELETE.equals(type)
        && !EventType.BULK_APPLY.equals(type)) {
      return Outcome.IGNORED;
    }
    long rev = event.revision();
    if (rev <= appliedRevision) {
      return Outcome.DUPLICATE;
    }
    if (rev != appliedRevision + 1) {
      return Outcome.GAP;
    }
    if (lacksContent(event)) {
      return Outcome.NEEDS_SNAPSHOT;
    }
    switch (type) {
      case EventType.FILE_UPDATE -> {
        byte[] content = verified(event.filePath(), event.content(), event.contentHash());
        if (content == null) {
          return Outcome.HASH_MISMATCH;
        }
        write(rev, event.filePath(), content);
      }
      case EventType.FILE_DELETE -> delete(rev, event.filePath());
      default -> {
        List<FileChange> files = event.files() == null ? List.of() : event.files();
        byte[][] contents = new byte[files.size()][];
        for (int i = 0; i < files.size(); i++) {
          FileChange f = files.get(i);
          if (!f.isDelete()) {
            contents[i] = verified(f.filePath(), f.content(), f.contentHash());
            if (contents[i] == null) {
              return Outcome.HASH_MISMATCH;
            }
          }
        }
        for (int i = 0; i < files.size(); i++) {
          FileChange f = files.get(i);
          if (f.isDelete()) {
            delete(rev, f.filePath());
          } else {
            write(rev, f.filePath(), contents[i]);
          }
        }
      }
    }
    appliedRevision = rev;
    return Outcome.APPLIED;
  }

  private static boolean lacksContent(ProjectEvent event) {
    if (EventType.FILE_UPDATE.equals(event.type())) {
      return event.content() == null && event.contentHash() != null;
    }
    if (EventType.BULK_APPLY.equals(event.type()) && event.files() != null) {
      for (FileChange f : event.files()) {
        if (!f.isDelete() && f.content() == null && f.contentHash() != null) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] verified(String path, String content, String expectedHash) {
    if (content == null || expectedHash == null) {
      Log.warn("event for \"" + path + "\" lacks content or contentHash");
      return null;
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String actual = ContentHash.sha256Hex(bytes);
    if (!actual.equalsIgnoreCase(expectedHash)) {
      Log.warn(
          "content hash mismatch for \""
              + path
              + "\": expected "
              + expectedHash
              + ", got "
              + actual);
      return null;
    }
    return bytes;
  }

  private void write(long rev, String path, byte[] content) throws IOException {
    try {
      fs.write(path, content, tracked::append);
    } catch (RefusedPathException e) {
      refuse(rev, e);
    }
  }

  private void delete(long rev, String path) throws IOException {
    try {
      fs.delete(path);
    } catch (RefusedPathException e) {
      refuse(rev, e);
    }
  }

  private void refuse(long rev, RefusedPathException e) {
    metrics.refused.increment();
    Log.warn("revision " + rev + ": " + e.getMessage());
  }
}
