package dev.velocity.preview.operator.realtime;

import dev.velocity.preview.protocol.SnapshotManifest;
import java.util.Objects;
import java.util.UUID;

/**
 * The seed's Edge Function contract for orchestrators that do not use the CRD: {@code POST
 * /v1/snapshots {"projectId"}} answers {@code {signedUrl, manifest}}. Main wires it to the snapshot
 * builder, the object store's manifest and a presigned URL.
 *
 * <p>Called on a worker thread, never on a network thread; it may block for the whole build.
 */
@FunctionalInterface
public interface ServiceSnapshotProvider {

  /**
   * The snapshot of {@code projectId} at its current revision, with its manifest.
   *
   * @throws RuntimeException the snapshot module's typed exception when the project does not exist
   *     or storage or the database is unavailable; the gateway maps it to an HTTP status
   */
  ServiceSnapshot serviceSnapshotFor(UUID projectId);

  /**
   * The answer of {@code POST /v1/snapshots}.
   *
   * @param signedUrl presigned GET URL of the zip
   * @param manifest the snapshot's manifest (DESIGN.md §4)
   */
  record ServiceSnapshot(String signedUrl, SnapshotManifest manifest) {
    /** Both parts are required. */
    public ServiceSnapshot {
      Objects.requireNonNull(signedUrl, "signedUrl");
      Objects.requireNonNull(manifest, "manifest");
    }
  }
}
