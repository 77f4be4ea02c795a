package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.ConditionTypes;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionStatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:05Z");
  private final SessionStatusAggregator aggregator = new SessionStatusAggregator();
  private final PreviewSession session = TestSessions.session("my-app");

  private SessionFacts facts(
      Instant now,
      Optional<SessionSnapshot> snapshot,
      Optional<SessionFailure> failure,
      boolean secret,
      Optional<PodState> pod,
      Optional<SessionActivity> activity) {
    Expiry expiry = SessionExpiry.evaluate(session, activity, now);
    return new SessionFacts(
        session,
        now,
        expiry,
        activity,
        Optional.empty(),
        snapshot,
        failure,
        secret
            ? Optional.of(new SessionFacts.SecretState(now.plusSeconds(600), now.plusSeconds(200)))
            : Optional.empty(),
        pod,
        pod.isPresent());
  }

  private static Condition condition(PreviewSessionStatus status, String type) {
    return status.condition(type).orElseThrow();
  }

  @Test
  void newSessionIsSnapshottingWithAllConditionsPresent() {
    PreviewSessionStatus status =
        aggregator.aggregate(
            facts(
                T0, Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty()));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Snapshotting);
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactlyElementsOf(ConditionTypes.ALL);
    assertThat(condition(status, ConditionTypes.SNAPSHOT_READY).getStatus()).isEqualTo("Unknown");
    assertThat(condition(status, ConditionTypes.READY).getStatus()).isEqualTo("False");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getStartedAt()).isEqualTo("2026-11-25T10:00:05Z");
    assertThat(status.getReadyAt()).isNull();
  }

  @Test
  void projectNotFoundIsFailedWithAnActionableMessage() {
    SessionFailure failure =
        SessionFailure.permanentFailure(
            SessionReasons.PROJECT_NOT_FOUND, "project 0b9f… does not exist");
    PreviewSessionStatus status = beforeTheSnapshot(failure);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(condition(status, ConditionTypes.SNAPSHOT_READY).getReason())
        .isEqualTo(SessionReasons.PROJECT_NOT_FOUND);
    assertThat(condition(status, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.PROJECT_NOT_FOUND);
    assertThat(status.getMessage()).isEqualTo("project 0b9f… does not exist");
  }

  @Test
  void aProjectMissingFromTheDatabaseFailsEvenBeforeTheSnapshotIsTried() {
    var gone = Optional.of(new SessionActivity(false, 0, null, null, null));
    PreviewSessionStatus status =
        aggregator.aggregate(
            facts(T0, Optional.empty(), Optional.empty(), false, Optional.empty(), gone));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(condition(status, ConditionTypes.SNAPSHOT_READY).getReason())
        .isEqualTo(SessionReasons.PROJECT_NOT_FOUND);
    assertThat(condition(status, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.PROJECT_NOT_FOUND);
    assertThat(status.getMessage()).contains(TestSessions.PROJECT).contains("fix spec.projectId");
  }

  @Test
  void transientFailureBeforeTheSnapshotIsPendingAndRetrying() {
    SessionFailure failure =
        SessionFailure.transientFailure(
            SessionReasons.DATABASE_UNAVAILABLE, "database unavailable: connection refused");
    PreviewSessionStatus status = beforeTheSnapshot(failure);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Pending);
    assertThat(condition(status, ConditionTypes.SNAPSHOT_READY).getStatus()).isEqualTo("False");
    assertThat(condition(status, ConditionTypes.SNAPSHOT_READY).getReason())
        .isEqualTo(SessionReasons.DATABASE_UNAVAILABLE);
    assertThat(status.getMessage()).endsWith("(retrying)");
  }

  @Test
  void startingThroughHydrationToRunning() {
    var snapshot = Optional.of(TestSessions.snapshot());
    PreviewSessionStatus starting =
        aggregator.aggregate(
            facts(
                T0,
                snapshot,
                Optional.empty(),
                true,
                Optional.of(PodInspection.inspect(TestPods.hydrating())),
                Optional.empty()));
    assertThat(starting.getPhase()).isEqualTo(SessionPhase.Starting);
    assertThat(condition(starting, ConditionTypes.HYDRATED).getReason())
        .isEqualTo(SessionReasons.HYDRATING);
    assertThat(condition(starting, ConditionTypes.TOKEN_ISSUED).getStatus()).isEqualTo("True");
    assertThat(starting.getSnapshot().getRevision()).isEqualTo(42L);
    assertThat(starting.getPodName()).isEqualTo("my-app-preview");

    session.setStatus(starting);
    Instant later = T0.plusSeconds(3);
    var activity = Optional.of(new SessionActivity(true, 42, null, 42L, later));
    PreviewSessionStatus running =
        aggregator.aggregate(
            facts(
                later,
                snapshot,
                Optional.empty(),
                true,
                Optional.of(PodInspection.inspect(TestPods.ready())),
                activity));
    assertThat(running.getPhase()).isEqualTo(SessionPhase.Running);
    assertThat(running.getConditions())
        .allSatisfy(c -> assertThat(c.getStatus()).as(c.getType()).isEqualTo("True"));
    assertThat(running.getReadyAt()).isEqualTo(later.toString());
    assertThat(running.getStartedAt()).isEqualTo(starting.getStartedAt());
    assertThat(running.getSyncedRevision()).isEqualTo(42L);
    assertThat(running.getUrl()).isEqualTo("http://my-app-preview.previews.svc:3000");
    assertThat(condition(running, ConditionTypes.SNAPSHOT_READY).getLastTransitionTime())
        .as("SnapshotReady stayed True: its transition time must not move")
        .isEqualTo(condition(starting, ConditionTypes.SNAPSHOT_READY).getLastTransitionTime());
    assertThat(condition(running, ConditionTypes.HYDRATED).getLastTransitionTime())
        .isEqualTo("2026-11-25T10:00:08Z");
  }

  @Test
  void lastTransitionTimeMovesOnlyOnAFlipNotOnAReasonChange() {
    var snapshot = Optional.of(TestSessions.snapshot());
    PreviewSessionStatus first =
        aggregator.aggregate(
            facts(
                T0,
                snapshot,
                Optional.empty(),
                true,
                Optional.of(PodInspection.inspect(TestPods.hydrating())),
                Optional.empty()));
    session.setStatus(first);
    // Ready stays False but its reason changes from Hydrating to Starting
    var hydratedNotReady =
        TestPods.withStatus(
            java.util.List.of(TestPods.terminated("hydrate", 0, null)),
            java.util.List.of(TestPods.running("dev-server"), TestPods.running("sync")),
            false);
    PreviewSessionStatus second =
        aggregator.aggregate(
            facts(
                T0.plusSeconds(30),
                snapshot,
                Optional.empty(),
                true,
                Optional.of(PodInspection.inspect(hydratedNotReady)),
                Optional.empty()));
    assertThat(condition(second, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.STARTING);
    assertThat(condition(second, ConditionTypes.READY).getLastTransitionTime())
        .isEqualTo(condition(first, ConditionTypes.READY).getLastTransitionTime());
  }

  @Test
  void syncedReflectsTheAgentsAcks() {
    var snapshot = Optional.of(TestSessions.snapshot());
    var pod = Optional.of(PodInspection.inspect(TestPods.ready()));
    PreviewSessionStatus behind =
        aggregator.aggregate(
            facts(
                T0,
                snapshot,
                Optional.empty(),
                true,
                pod,
                Optional.of(new SessionActivity(true, 45, T0, 43L, T0))));
    assertThat(condition(behind, ConditionTypes.SYNCED).getStatus()).isEqualTo("False");
    assertThat(condition(behind, ConditionTypes.SYNCED).getMessage())
        .isEqualTo("Applied revision 43 of 45");
    assertThat(behind.getPhase()).isEqualTo(SessionPhase.Running);
    PreviewSessionStatus noAck =
        aggregator.aggregate(
            facts(
                T0,
                snapshot,
                Optional.empty(),
                true,
                pod,
                Optional.of(new SessionActivity(true, 45, T0, null, null))));
    assertThat(condition(noAck, ConditionTypes.SYNCED).getReason())
        .isEqualTo(SessionReasons.NO_ACK);
  }

  /** The status when obtaining the snapshot failed with {@code failure}. */
  private PreviewSessionStatus beforeTheSnapshot(SessionFailure failure) {
    return aggregator.aggregate(
        facts(
            T0, Optional.empty(), Optional.of(failure), false, Optional.empty(), Optional.empty()));
  }

  /** The status once the snapshot and the Secret exist and the pod reports {@code pod}. */
  private PreviewSessionStatus withSnapshotSecretAnd(io.fabric8.kubernetes.api.model.Pod pod) {
    return aggregator.aggregate(
        facts(
            T0,
            Optional.of(TestSessions.snapshot()),
            Optional.empty(),
            true,
            Optional.of(PodInspection.inspect(pod)),
            Optional.empty()));
  }

  @Test
  void aSnapshotDownloadTheKubeletRetriesKeepsTheSessionStartingNotFailed() {
    var pod =
        TestPods.withStatus(
            java.util.List.of(
                TestPods.terminated("hydrate", 3, "snapshot download failed: HTTP 503")),
            java.util.List.of(),
            false);
    PreviewSessionStatus status = withSnapshotSecretAnd(pod);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Starting);
    assertThat(status.getMessage())
        .isEqualTo(
            "hydrate: snapshot download failed: HTTP 503 (exit code 3);"
                + " the kubelet retries (0 of 5 restarts)");
    assertThat(condition(status, ConditionTypes.HYDRATED).getStatus()).isEqualTo("False");
    assertThat(condition(status, ConditionTypes.HYDRATED).getReason())
        .isEqualTo(SessionReasons.STORAGE_UNAVAILABLE);
    assertThat(condition(status, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.STORAGE_UNAVAILABLE);
  }

  @Test
  void imagePullFailureFailsTheSessionButTheSnapshotStaysReady() {
    var pod =
        TestPods.withStatus(
            java.util.List.of(TestPods.waiting("hydrate", "ErrImagePull", "manifest unknown")),
            java.util.List.of(),
            false);
    PreviewSessionStatus status = withSnapshotSecretAnd(pod);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(condition(status, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.IMAGE_PULL_FAILED);
    assertThat(condition(status, ConditionTypes.HYDRATED).getReason())
        .isEqualTo(SessionReasons.IMAGE_PULL_FAILED);
    assertThat(condition(status, ConditionTypes.SNAPSHOT_READY).getStatus()).isEqualTo("True");
  }

  @Test
  void expiredSessionsSayWhyAndDropPodAndUrl() {
    session.getSpec().setTtlSeconds(60L);
    Instant late = Instant.parse("2026-11-25T10:01:00Z");
    PreviewSessionStatus status =
        aggregator.aggregate(
            facts(
                late,
                Optional.of(TestSessions.snapshot()),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty()));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Expired);
    assertThat(condition(status, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.TTL_EXPIRED);
    assertThat(status.getMessage()).contains("time to live (60s)");
    assertThat(status.getUrl()).isNull();
    assertThat(status.getPodName()).isNull();
    assertThat(status.getExpiresAt()).isEqualTo("2026-11-25T10:01:00Z");
  }

  @Test
  void transitionsBecomeEventsWarningsForFailures() {
    PreviewSessionStatus first =
        aggregator.aggregate(
            facts(
                T0, Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty()));
    var created = SessionTransitions.between(null, first);
    assertThat(created).extracting(SessionEvent::reason).contains("Snapshotting");
    assertThat(created).noneMatch(SessionEvent::warning);

    session.setStatus(first);
    SessionFailure failure =
        SessionFailure.permanentFailure(SessionReasons.PROJECT_NOT_FOUND, "no such project");
    PreviewSessionStatus failed =
        aggregator.aggregate(
            facts(
                T0.plusSeconds(1),
                Optional.empty(),
                Optional.of(failure),
                false,
                Optional.empty(),
                Optional.empty()));
    var events = SessionTransitions.between(first, failed);
    assertThat(events)
        .filteredOn(SessionEvent::warning)
        .extracting(SessionEvent::reason)
        .contains("Failed", SessionReasons.PROJECT_NOT_FOUND);
    assertThat(SessionTransitions.between(failed, failed)).isEmpty();
  }
}
