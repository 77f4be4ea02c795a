package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.SnapshotStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * The snapshot a session hydrates from: the project at exactly {@code revision}, stored under
 * {@code key}.
 *
 * @param revision the project revision it holds
 * @param key its object key
 * @param sha256 hex SHA-256 of the zip
 * @param files number of files
 * @param bytes size of the zip
 * @param reused whether an existing object was reused rather than built now
 * @param buildTime how long building (or finding) it took; zero when read back from the status
 */
public record SessionSnapshot(
    long revision,
    String key,
    String sha256,
    long files,
    long bytes,
    boolean reused,
    Duration buildTime) {

  /** Checks the fields. */
  public SessionSnapshot {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(buildTime, "buildTime");
  }

  /** The snapshot recorded in a session's status, if complete. */
  public static SessionSnapshot fromStatus(SnapshotStatus status) {
    if (status == null
        || status.getRevision() == null
        || status.getKey() == null
        || status.getSha256() == null) {
      return null;
    }
    return new SessionSnapshot(
        status.getRevision(),
        status.getKey(),
        status.getSha256(),
        status.getFiles() == null ? 0 : status.getFiles(),
        status.getBytes() == null ? 0 : status.getBytes(),
        true,
        Duration.ZERO);
  }

  /** This snapshot as recorded in the status. */
  public SnapshotStatus toStatus() {
    return new SnapshotStatus(revision, key, sha256, files, bytes);
  }
}
