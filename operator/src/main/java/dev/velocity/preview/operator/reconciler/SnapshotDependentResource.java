package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.AbstractDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The session's snapshot, an external resource in object storage. Created once per session (built,
 * or reused when the project's current revision already has one); its key is deterministic ({@code
 * snapshots/{projectId}/{revision}.zip}), so a repeated create after a crash reuses the object
 * instead of duplicating it. The actual state is what the session's status records. Never deleted
 * per session: snapshots are shared and collected periodically.
 */
public final class SnapshotDependentResource
    extends AbstractDependentResource<SessionSnapshot, PreviewSession> {

  /** Name in the workflow. */
  public static final String NAME = "snapshot";

  private static final int RECENT_LIMIT = 4096;

  private final SnapshotSource source;
  private final SessionMetrics metrics;
  // built snapshots whose status patch may not have reached the informer cache yet
  private final Map<String, SessionSnapshot> recent =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionSnapshot> eldest) {
              return size() > RECENT_LIMIT;
            }
          });

  public SnapshotDependentResource(SnapshotSource source, SessionMetrics metrics) {
    super(NAME);
    this.source = source;
    this.metrics = metrics;
  }

  @Override
  public Class<SessionSnapshot> resourceType() {
    return SessionSnapshot.class;
  }

  @Override
  public Optional<SessionSnapshot> getSecondaryResource(
      PreviewSession session, Context<PreviewSession> context) {
    String uid = session.getMetadata().getUid();
    SessionSnapshot recorded =
        session.getStatus() == null
            ? null
            : SessionSnapshot.fromStatus(session.getStatus().getSnapshot());
    if (recorded != null) {
      recent.remove(uid);
      return Optional.of(recorded);
    }
    return Optional.ofNullable(recent.get(uid));
  }

  @Override
  protected ReconcileResult<SessionSnapshot> reconcile(
      PreviewSession session, SessionSnapshot actual, Context<PreviewSession> context) {
    SessionContext sessionContext = SessionContext.of(context);
    if (actual != null) {
      sessionContext.snapshot(actual);
      return ReconcileResult.noOperation(actual);
    }
    SessionSnapshot snapshot = source.ensure(projectId(session));
    metrics.snapshotEnsured(snapshot);
    recent.put(session.getMetadata().getUid(), snapshot);
    sessionContext.snapshot(snapshot);
    return ReconcileResult.resourceCreated(snapshot);
  }

  static UUID projectId(PreviewSession session) {
    String text = session.getSpec().getProjectId();
    try {
      return UUID.fromString(String.valueOf(text));
    } catch (IllegalArgumentException e) {
      throw new SessionFailureException(
          SessionFailure.permanentFailure(
              SessionReasons.INVALID_SPEC, "spec.projectId '" + text + "' is not a UUID"),
          e);
    }
  }

  @Override
  public Matcher.Result<SessionSnapshot> match(
      SessionSnapshot actual, PreviewSession session, Context<PreviewSession> context) {
    return Matcher.Result.nonComputed(true);
  }

  @Override
  protected Optional<SessionSnapshot> selectTargetSecondaryResource(
      Set<SessionSnapshot> secondaryResources,
      PreviewSession session,
      Context<PreviewSession> context) {
    return secondaryResources.stream().findFirst();
  }

  @Override
  protected void onCreated(
      PreviewSession session, SessionSnapshot created, Context<PreviewSession> context) {
    // the status records it; nothing to cache beyond `recent`
  }

  @Override
  protected void onUpdated(
      PreviewSession session,
      SessionSnapshot updated,
      SessionSnapshot actual,
      Context<PreviewSession> context) {
    // snapshots are never updated
  }
}
