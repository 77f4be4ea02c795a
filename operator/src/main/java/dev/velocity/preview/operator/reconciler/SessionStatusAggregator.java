package dev.velocity.preview.operator.reconciler;

import static dev.velocity.preview.operator.reconciler.ConditionSet.FALSE;
import static dev.velocity.preview.operator.reconciler.ConditionSet.TRUE;
import static dev.velocity.preview.operator.reconciler.ConditionSet.UNKNOWN;

import dev.velocity.preview.crds.ConditionTypes;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The one place a session's status is computed: phase, conditions, timestamps and the message, all
 * from {@link SessionFacts}. Pure: the reconciler gathers facts, this decides what they mean.
 */
public final class SessionStatusAggregator {

  /** The status {@code facts} call for. */
  public PreviewSessionStatus aggregate(SessionFacts facts) {
    PreviewSession session = facts.session();
    PreviewSessionStatus previous =
        session.getStatus() == null ? new PreviewSessionStatus() : session.getStatus();
    Verdict verdict = verdict(facts);
    ConditionSet conditions =
        new ConditionSet(
            previous.getConditions(), session.getMetadata().getGeneration(), facts.now());
    snapshotCondition(facts, conditions);
    tokenCondition(facts, conditions);
    hydratedCondition(facts, conditions);
    syncedCondition(facts, conditions);
    conditions.set(
        ConditionTypes.READY, verdict.ready ? TRUE : FALSE, verdict.reason, verdict.message);

    PreviewSessionStatus status = new PreviewSessionStatus();
    status.setPhase(verdict.phase);
    status.setObservedGeneration(session.getMetadata().getGeneration());
    status.setConditions(conditions.conditions());
    status.setSnapshot(
        facts.snapshot().map(SessionSnapshot::toStatus).orElse(previous.getSnapshot()));
    status.setProjectRevision(
        facts
            .activity()
            .filter(SessionActivity::projectExists)
            .map(SessionActivity::projectRevision)
            .orElse(previous.getProjectRevision()));
    status.setSyncedRevision(
        facts.activity().map(SessionActivity::ackedRevision).orElse(previous.getSyncedRevision()));
    status.setPodName(facts.pod().map(PodState::name).orElse(null));
    int port = SessionPodBuilder.port(session.getSpec());
    status.setUrl(
        port > 0 && facts.serviceReady() && !facts.expiry().expired()
            ? PreviewSessionResources.serviceUrl(session, port)
            : null);
    String now = facts.now().truncatedTo(ChronoUnit.MILLIS).toString();
    status.setStartedAt(previous.getStartedAt() != null ? previous.getStartedAt() : now);
    status.setReadyAt(
        previous.getReadyAt() != null ? previous.getReadyAt() : verdict.ready ? now : null);
    status.setExpiresAt(facts.expiry().deadline().map(Object::toString).orElse(null));
    status.setLastActivityAt(facts.expiry().lastActivityAt().toString());
    status.setMessage(verdict.ready ? runningMessage(facts, status) : verdict.message);
    return status;
  }

  private record Verdict(SessionPhase phase, boolean ready, String reason, String message) {}

  private static Verdict verdict(SessionFacts f) {
    Optional<SessionFailure> failure = f.failure().or(() -> projectGone(f));
    Optional<PodState> pod = f.pod();
    String project = f.session().getSpec().getProjectId();
    if (f.session().getMetadata().getDeletionTimestamp() != null) {
      return new Verdict(
          SessionPhase.Terminating, false, SessionReasons.DELETING, "The session is being deleted");
    }
    if (f.expiry().expired()) {
      String why =
          SessionReasons.TTL_EXPIRED.equals(f.expiry().reason())
              ? "its time to live (" + f.session().getSpec().getTtlSeconds() + "s) passed"
              : "no edit or sync for " + f.session().getSpec().getIdleTimeoutSeconds() + "s";
      return new Verdict(
          SessionPhase.Expired,
          false,
          f.expiry().reason(),
          "Expired: " + why + "; the pod was removed. Create a new session to preview again");
    }
    if (failure.isPresent() && failure.get().permanent()) {
      return new Verdict(
          SessionPhase.Failed, false, failure.get().reason(), failure.get().message());
    }
    if (pod.isPresent() && pod.get().failed()) {
      SessionFailure problem = pod.get().problem().orElseThrow();
      return new Verdict(SessionPhase.Failed, false, problem.reason(), problem.message());
    }
    if (f.snapshot().isEmpty()) {
      return failure
          .map(
              x ->
                  new Verdict(SessionPhase.Pending, false, x.reason(), x.message() + " (retrying)"))
          .orElse(
              new Verdict(
                  SessionPhase.Snapshotting,
                  false,
                  SessionReasons.BUILDING,
                  "Building or reusing the snapshot of project " + project));
    }
    if (failure.isPresent()) {
      return new Verdict(
          SessionPhase.Starting,
          false,
          failure.get().reason(),
          failure.get().message() + " (retrying)");
    }
    if (f.secret().isEmpty()) {
      return new Verdict(
          SessionPhase.Starting,
          false,
          SessionReasons.ISSUING,
          "Issuing the session token and snapshot URL");
    }
    if (pod.isEmpty()) {
      return new Verdict(
          SessionPhase.Starting, false, SessionReasons.WAITING_FOR_POD, "Creating the session pod");
    }
    PodState p = pod.get();
    if (p.terminating()) {
      return new Verdict(
          SessionPhase.Starting,
          false,
          SessionReasons.REPLACING_POD,
          "Replacing the pod after a change of the spec");
    }
    if (p.problem().isPresent()) {
      return new Verdict(
          SessionPhase.Starting, false, p.problem().get().reason(), p.problem().get().message());
    }
    if (p.hydrate() != PodState.Hydration.SUCCEEDED) {
      return new Verdict(
          SessionPhase.Starting,
          false,
          SessionReasons.HYDRATING,
          "Hydrating the workspace from snapshot revision " + f.snapshot().get().revision());
    }
    if (!p.ready()) {
      return new Verdict(
          SessionPhase.Starting,
          false,
          SessionReasons.STARTING,
          "Waiting for the dev server and the sync agent to become ready");
    }
    return new Verdict(
        SessionPhase.Running,
        true,
        SessionReasons.READY,
        "The dev server and the sync agent are ready");
  }

  private static Optional<SessionFailure> projectGone(SessionFacts f) {
    return f.activity()
        .filter(a -> !a.projectExists())
        .map(
            a ->
                SessionFailure.permanentFailure(
                    SessionReasons.PROJECT_NOT_FOUND,
                    "Project "
                        + f.session().getSpec().getProjectId()
                        + " does not exist; fix spec.projectId or create the project"));
  }

  private static void snapshotCondition(SessionFacts f, ConditionSet c) {
    Optional<SessionFailure> failure = f.failure().or(() -> projectGone(f));
    if (f.snapshot().isPresent()) {
      SessionSnapshot s = f.snapshot().get();
      c.set(
          ConditionTypes.SNAPSHOT_READY,
          TRUE,
          SessionReasons.AVAILABLE,
          "Revision "
              + s.revision()
              + ": "
              + s.files()
              + " files, "
              + s.bytes()
              + " bytes at "
              + s.key());
    } else if (failure.isPresent()) {
      c.set(ConditionTypes.SNAPSHOT_READY, FALSE, failure.get().reason(), failure.get().message());
    } else {
      c.set(
          ConditionTypes.SNAPSHOT_READY,
          UNKNOWN,
          SessionReasons.BUILDING,
          "Building or reusing the snapshot of project " + f.session().getSpec().getProjectId());
    }
  }

  private static void tokenCondition(SessionFacts f, ConditionSet c) {
    if (f.expiry().expired()) {
      c.set(
          ConditionTypes.TOKEN_ISSUED,
          FALSE,
          SessionReasons.SESSION_EXPIRED,
          "Credentials withdrawn: the session expired");
    } else if (f.secret().isPresent()) {
      SessionFacts.SecretState s = f.secret().get();
      c.set(
          ConditionTypes.TOKEN_ISSUED,
          TRUE,
          SessionReasons.ISSUED,
          "Token valid until " + s.tokenExpiresAt() + "; replaced at " + s.rotateAt());
    } else if (f.snapshot().isEmpty()) {
      c.set(
          ConditionTypes.TOKEN_ISSUED,
          UNKNOWN,
          SessionReasons.WAITING_FOR_SNAPSHOT,
          "Waiting for the snapshot");
    } else if (f.failure().isPresent()) {
      c.set(
          ConditionTypes.TOKEN_ISSUED,
          FALSE,
          f.failure().get().reason(),
          f.failure().get().message());
    } else {
      c.set(
          ConditionTypes.TOKEN_ISSUED,
          UNKNOWN,
          SessionReasons.ISSUING,
          "Issuing the session token and snapshot URL");
    }
  }

  private static void hydratedCondition(SessionFacts f, ConditionSet c) {
    if (f.expiry().expired()) {
      c.set(
          ConditionTypes.HYDRATED,
          FALSE,
          SessionReasons.SESSION_EXPIRED,
          "The pod was removed: the session expired");
      return;
    }
    if (f.pod().isEmpty()) {
      boolean noSnapshot = f.snapshot().isEmpty();
      c.set(
          ConditionTypes.HYDRATED,
          UNKNOWN,
          noSnapshot ? SessionReasons.WAITING_FOR_SNAPSHOT : SessionReasons.WAITING_FOR_POD,
          noSnapshot ? "Waiting for the snapshot" : "Waiting for the session pod");
      return;
    }
    PodState p = f.pod().get();
    long revision = f.snapshot().map(SessionSnapshot::revision).orElse(-1L);
    switch (p.hydrate()) {
      case SUCCEEDED ->
          c.set(
              ConditionTypes.HYDRATED,
              TRUE,
              SessionReasons.HYDRATED,
              "The workspace holds snapshot revision " + revision);
      case FAILED ->
          c.set(
              ConditionTypes.HYDRATED,
              FALSE,
              SessionReasons.HYDRATION_FAILED,
              "hydrate: " + p.hydrateMessage());
      case RETRYING ->
          c.set(
              ConditionTypes.HYDRATED,
              FALSE,
              p.problem().orElseThrow().reason(),
              p.problem().orElseThrow().message());
      case RUNNING ->
          c.set(
              ConditionTypes.HYDRATED,
              FALSE,
              SessionReasons.HYDRATING,
              "Downloading and extracting snapshot revision " + revision);
      case PENDING -> {
        if (p.problem().isPresent()) {
          c.set(
              ConditionTypes.HYDRATED,
              FALSE,
              p.problem().get().reason(),
              p.problem().get().message());
        } else {
          c.set(
              ConditionTypes.HYDRATED,
              UNKNOWN,
              SessionReasons.POD_PENDING,
              "The pod has not started yet");
        }
      }
    }
  }

  private static void syncedCondition(SessionFacts f, ConditionSet c) {
    if (f.expiry().expired()) {
      c.set(
          ConditionTypes.SYNCED,
          FALSE,
          SessionReasons.SESSION_EXPIRED,
          "The pod was removed: the session expired");
    } else if (f.activityFailure().isPresent()) {
      c.set(
          ConditionTypes.SYNCED,
          UNKNOWN,
          f.activityFailure().get().reason(),
          f.activityFailure().get().message());
    } else if (f.activity().isEmpty() || f.activity().get().ackedRevision() == null) {
      c.set(
          ConditionTypes.SYNCED,
          UNKNOWN,
          SessionReasons.NO_ACK,
          "The sync agent has not reported a revision yet");
    } else {
      SessionActivity a = f.activity().get();
      if (a.ackedRevision() >= a.projectRevision()) {
        c.set(
            ConditionTypes.SYNCED,
            TRUE,
            SessionReasons.CAUGHT_UP,
            "Applied revision " + a.ackedRevision() + ", the project's latest");
      } else {
        c.set(
            ConditionTypes.SYNCED,
            FALSE,
            SessionReasons.CATCHING_UP,
            "Applied revision " + a.ackedRevision() + " of " + a.projectRevision());
      }
    }
  }

  private static String runningMessage(SessionFacts f, PreviewSessionStatus status) {
    String synced =
        status.getSyncedRevision() == null
            ? "not yet reported"
            : "revision " + status.getSyncedRevision();
    return "Serving project " + f.session().getSpec().getProjectId() + "; workspace at " + synced;
  }
}
