package dev.velocity.preview.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ContextInitializer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a {@link PreviewSession}: the workflow of dependents does the work (snapshot → Secret
 * → pod → Service), this class only gathers what happened and writes the status through the {@link
 * SessionStatusAggregator}, then says when to look again (credential rotation, expiry, sync
 * progress).
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = SnapshotDependentResource.NAME, type = SnapshotDependentResource.class),
      @Dependent(
          name = SessionSecretDependentResource.NAME,
          type = SessionSecretDependentResource.class,
          dependsOn = SnapshotDependentResource.NAME,
          reconcilePrecondition = SessionActiveCondition.class),
      @Dependent(
          name = SessionPodDependentResource.NAME,
          type = SessionPodDependentResource.class,
          dependsOn = SessionSecretDependentResource.NAME),
      @Dependent(
          name = SessionServiceDependentResource.NAME,
          type = SessionServiceDependentResource.class,
          dependsOn = SessionPodDependentResource.NAME,
          reconcilePrecondition = PortExposedCondition.class)
    })
@ControllerConfiguration(name = PreviewSessionReconciler.NAME)
public final class PreviewSessionReconciler
    implements Reconciler<PreviewSession>, ContextInitializer<PreviewSession> {

  /** Name of the controller. */
  public static final String NAME = "previewsession";

  private static final Logger log = LoggerFactory.getLogger(PreviewSessionReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MIN_RESCHEDULE = Duration.ofMillis(500);

  private final SessionActivitySource activity;
  private final SessionStatusAggregator aggregator = new SessionStatusAggregator();
  private final SessionEventRecorder events;
  private final SessionMetrics metrics;
  private final Clock clock;
  private final Duration resync;

  /**
   * @param resync how often a live session is looked at even without events (sync progress, idle
   *     time)
   */
  public PreviewSessionReconciler(
      SessionActivitySource activity,
      SessionEventRecorder events,
      SessionMetrics metrics,
      Clock clock,
      Duration resync) {
    this.activity = activity;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.resync = resync;
  }

  @Override
  public void initContext(PreviewSession session, Context<PreviewSession> context) {
    SessionContext.put(context, observe(session));
  }

  private SessionContext observe(PreviewSession session) {
    Instant now = clock.instant();
    Optional<SessionActivity> seen = Optional.empty();
    Optional<SessionFailure> failure = Optional.empty();
    try {
      UUID projectId = UUID.fromString(String.valueOf(session.getSpec().getProjectId()));
      seen = Optional.of(activity.read(session.getMetadata().getUid(), projectId));
    } catch (IllegalArgumentException e) {
      // a malformed projectId fails in the snapshot dependent, with its reason
    } catch (SQLException e) {
      failure =
          Optional.of(
              SessionFailure.transientFailure(
                  SessionReasons.DATABASE_UNAVAILABLE,
                  "cannot read sync progress: " + e.getMessage()));
    }
    return new SessionContext(now, seen, failure, SessionExpiry.evaluate(session, seen, now));
  }

  @Override
  public UpdateControl<PreviewSession> reconcile(
      PreviewSession session, Context<PreviewSession> context) {
    SessionContext sessionContext = SessionContext.of(context);
    if (session.getStatus() == null || session.getStatus().getPhase() == null) {
      accept(session, context, sessionContext);
    }
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    SessionFacts facts = facts(session, context, sessionContext, Optional.empty());
    PreviewSessionStatus status = aggregator.aggregate(facts);
    publish(session, context, status);
    UpdateControl<PreviewSession> control = UpdateControl.noUpdate();
    return nextLook(facts).map(control::rescheduleAfter).orElse(control);
  }

  /** Records that the session was seen before the snapshot work, so a slow build shows. */
  private void accept(
      PreviewSession session, Context<PreviewSession> context, SessionContext sessionContext) {
    PreviewSessionStatus accepted =
        aggregator.aggregate(facts(session, context, sessionContext, Optional.empty()));
    publish(session, context, accepted);
  }

  @Override
  public ErrorStatusUpdateControl<PreviewSession> updateErrorStatus(
      PreviewSession session, Context<PreviewSession> context, Exception error) {
    SessionFailure failure = SessionFailures.classify(error);
    SessionContext sessionContext =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(SessionContext.class, SessionContext.class)
            .orElseGet(() -> observe(session));
    int attempt = context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(0);
    if (failure.permanent()) {
      log.warn("session cannot run: {} {}", failure.reason(), failure.message());
    } else {
      log.info(
          "session blocked (attempt {}), retrying: {} {}",
          attempt,
          failure.reason(),
          failure.message());
    }
    PreviewSessionStatus status =
        aggregator.aggregate(facts(session, context, sessionContext, Optional.of(failure)));
    publish(session, context, status);
    ErrorStatusUpdateControl<PreviewSession> control = ErrorStatusUpdateControl.noStatusUpdate();
    return failure.permanent() ? control.withNoRetry() : control;
  }

  /**
   * Writes {@code status} if it differs, then records events and metrics. The write goes through
   * JOSDK's update-and-cache path rather than {@code UpdateControl.patchStatus}: the latter leaves
   * the informer cache stale until the watch event arrives, and a reconciliation triggered by a Pod
   * event in that gap would see the old status and announce the same transition twice (twice
   * counted, twice an Event, a moved {@code lastTransitionTime}). Nothing is recorded unless the
   * write succeeded.
   */
  private void publish(
      PreviewSession session, Context<PreviewSession> context, PreviewSessionStatus status) {
    PreviewSessionStatus before = session.getStatus();
    if (before != null && Objects.equals(JSON.valueToTree(before), JSON.valueToTree(status))) {
      return;
    }
    PreviewSession updated =
        PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
            session,
            context,
            s -> {
              s.setStatus(status);
              return s;
            });
    session.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    events.record(session, SessionTransitions.between(before, status));
    metrics.statusChanged(session, before, status);
    if (before == null || before.getPhase() != status.getPhase()) {
      log.info(
          "phase {} -> {}: {}",
          before == null ? null : before.getPhase(),
          status.getPhase(),
          status.getMessage());
    }
    session.setStatus(status);
  }

  private static SessionFacts facts(
      PreviewSession session,
      Context<PreviewSession> context,
      SessionContext sessionContext,
      Optional<SessionFailure> failure) {
    Optional<SessionSnapshot> snapshot =
        sessionContext
            .snapshot()
            .or(
                () ->
                    Optional.ofNullable(
                        session.getStatus() == null
                            ? null
                            : SessionSnapshot.fromStatus(session.getStatus().getSnapshot())));
    Optional<SessionFacts.SecretState> secret =
        context.getSecondaryResource(Secret.class).flatMap(PreviewSessionReconciler::secretState);
    Optional<PodState> pod = context.getSecondaryResource(Pod.class).map(PodInspection::inspect);
    boolean service = context.getSecondaryResource(Service.class).isPresent();
    return new SessionFacts(
        session,
        sessionContext.now(),
        sessionContext.expiry(),
        sessionContext.activity(),
        sessionContext.activityFailure(),
        snapshot,
        failure,
        secret,
        pod,
        service);
  }

  private static Optional<SessionFacts.SecretState> secretState(Secret secret) {
    String expires =
        secret.getMetadata().getAnnotations() == null
            ? null
            : secret
                .getMetadata()
                .getAnnotations()
                .get(PreviewSessionResources.TOKEN_EXPIRES_AT_ANNOTATION);
    return CredentialRotation.rotateAt(secret)
        .map(at -> new SessionFacts.SecretState(expires == null ? at : Instant.parse(expires), at));
  }

  /** When to reconcile again without an event: rotation, expiry, or the periodic look. */
  private Optional<Duration> nextLook(SessionFacts facts) {
    if (facts.expiry().expired()) {
      return Optional.empty();
    }
    Instant next = facts.now().plus(resync);
    if (facts.secret().isPresent() && facts.secret().get().rotateAt().isBefore(next)) {
      next = facts.secret().get().rotateAt();
    }
    if (facts.expiry().deadline().isPresent() && facts.expiry().deadline().get().isBefore(next)) {
      next = facts.expiry().deadline().get();
    }
    Duration delay = Duration.between(facts.now(), next);
    return Optional.of(delay.compareTo(MIN_RESCHEDULE) < 0 ? MIN_RESCHEDULE : delay);
  }
}
