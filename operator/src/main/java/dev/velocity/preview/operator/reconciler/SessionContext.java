package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one reconciliation of a session shares between the reconciler, its dependents and their
 * conditions: the instant it runs at, the database's view, the expiry decision, and the snapshot
 * once the snapshot dependent has it.
 */
final class SessionContext {

  private final Instant now;
  private final long startNanos = System.nanoTime();
  private final Optional<SessionActivity> activity;
  private final Optional<SessionFailure> activityFailure;
  private final Expiry expiry;
  private volatile SessionSnapshot snapshot;

  SessionContext(
      Instant now,
      Optional<SessionActivity> activity,
      Optional<SessionFailure> activityFailure,
      Expiry expiry) {
    this.now = now;
    this.activity = activity;
    this.activityFailure = activityFailure;
    this.expiry = expiry;
  }

  static SessionContext of(Context<PreviewSession> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(SessionContext.class, SessionContext.class);
  }

  static void put(Context<PreviewSession> context, SessionContext sessionContext) {
    context.managedWorkflowAndDependentResourceContext().put(SessionContext.class, sessionContext);
  }

  Instant now() {
    return now;
  }

  /** Time since this reconciliation started (monotonic). */
  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  Optional<SessionActivity> activity() {
    return activity;
  }

  Optional<SessionFailure> activityFailure() {
    return activityFailure;
  }

  Expiry expiry() {
    return expiry;
  }

  Optional<SessionSnapshot> snapshot() {
    return Optional.ofNullable(snapshot);
  }

  /** The snapshot; only called by dependents that run after the snapshot dependent. */
  SessionSnapshot requireSnapshot() {
    SessionSnapshot s = snapshot;
    if (s == null) {
      throw new IllegalStateException("the snapshot dependent has not run");
    }
    return s;
  }

  void snapshot(SessionSnapshot snapshot) {
    this.snapshot = snapshot;
  }
}
