package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.operator.snapshot.Snapshot;
import dev.velocity.preview.operator.snapshot.SnapshotBuilder;
import dev.velocity.preview.operator.snapshot.SnapshotException;
import java.util.UUID;

/**
 * Sessions' snapshots from the {@link SnapshotBuilder}, its failures turned into session reasons.
 */
public final class BuilderSnapshotSource implements SnapshotSource {

  private final SnapshotBuilder builder;

  public BuilderSnapshotSource(SnapshotBuilder builder) {
    this.builder = builder;
  }

  @Override
  public SessionSnapshot ensure(UUID projectId) {
    Snapshot snapshot;
    try {
      snapshot = builder.ensure(projectId);
    } catch (SnapshotException e) {
      throw new SessionFailureException(failure(projectId, e), e);
    }
    return new SessionSnapshot(
        snapshot.revision(),
        snapshot.key(),
        snapshot.sha256(),
        snapshot.files(),
        snapshot.bytes(),
        snapshot.reused(),
        snapshot.buildTime());
  }

  /** What a snapshot failure means for a session, and whether retrying can help. */
  static SessionFailure failure(UUID projectId, SnapshotException e) {
    String detail = e.getMessage() == null ? e.reason().name() : e.getMessage();
    return switch (e.reason()) {
      case PROJECT_NOT_FOUND ->
          SessionFailure.permanentFailure(
              SessionReasons.PROJECT_NOT_FOUND,
              "Project " + projectId + " does not exist; fix spec.projectId or create the project");
      case DATABASE_UNAVAILABLE ->
          SessionFailure.transientFailure(
              SessionReasons.DATABASE_UNAVAILABLE,
              "Cannot read the project from the database: " + detail);
      case STORAGE_UNAVAILABLE ->
          SessionFailure.transientFailure(
              SessionReasons.STORAGE_UNAVAILABLE, "Cannot reach object storage: " + detail);
      case STORAGE_DENIED ->
          // the operator's S3 credentials or bucket policy; fixing them restarts the operator,
          // which reconciles every session again
          SessionFailure.permanentFailure(
              SessionReasons.STORAGE_DENIED,
              "Object storage refused the operator (check S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET): "
                  + detail);
      case BUILD_FAILED ->
          SessionFailure.transientFailure(
              SessionReasons.SNAPSHOT_FAILED, "Snapshot build failed: " + detail);
    };
  }
}
