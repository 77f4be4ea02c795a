package dev.velocity.preview.operator.reconciler;

import java.util.UUID;

/** Builds, or reuses, the snapshot of a project at its current revision. */
@FunctionalInterface
public interface SnapshotSource {

  /**
   * The snapshot of {@code projectId} at its current revision; built once per revision, reused
   * after that.
   *
   * @throws SessionFailureException classified (ProjectNotFound, DatabaseUnavailable, ...)
   */
  SessionSnapshot ensure(UUID projectId);
}
