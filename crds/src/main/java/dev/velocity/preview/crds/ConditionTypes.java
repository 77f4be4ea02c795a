package dev.velocity.preview.crds;

import java.util.List;

/** The condition types of a {@link PreviewSession}, in the order they normally become true. */
public final class ConditionTypes {

  /** The snapshot of the project at a known revision exists in object storage. */
  public static final String SNAPSHOT_READY = "SnapshotReady";

  /** The session Secret holds a valid realtime token and presigned snapshot URL. */
  public static final String TOKEN_ISSUED = "TokenIssued";

  /** The init container extracted the snapshot into the workspace. */
  public static final String HYDRATED = "Hydrated";

  /** The sync agent has applied the project's latest revision. */
  public static final String SYNCED = "Synced";

  /** The dev server and the sync agent are ready: the preview can be used. */
  public static final String READY = "Ready";

  /** All types, in order. */
  public static final List<String> ALL =
      List.of(SNAPSHOT_READY, TOKEN_ISSUED, HYDRATED, SYNCED, READY);

  private ConditionTypes() {}
}
