package dev.velocity.preview.operator.realtime;

import dev.velocity.preview.protocol.SnapshotLocation;
import java.util.UUID;

/**
 * Builds (or reuses) a snapshot of a project at its current revision and presigns it: the answer of
 * {@code POST /v1/projects/{id}/snapshot} (DESIGN.md §6). Main wires it to the snapshot builder and
 * the object store.
 *
 * <p>Called on a worker thread, never on a network thread; it may block for the whole build.
 */
@FunctionalInterface
public interface SnapshotProvider {

  /**
   * The snapshot of {@code projectId} at its current revision.
   *
   * @throws RuntimeException the snapshot module's typed exception when the project does not exist
   *     or storage or the database is unavailable; the gateway maps it to an HTTP status
   */
  SnapshotLocation snapshotFor(UUID projectId);
}
