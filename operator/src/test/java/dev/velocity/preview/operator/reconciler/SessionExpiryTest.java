package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionExpiryTest {

  private static final Instant CREATED = Instant.parse("2026-11-25T10:00:00Z");

  private static SessionActivity activity(Instant lastEdit, Long acked, Instant ackedAt) {
    return new SessionActivity(true, 5, lastEdit, acked, ackedAt);
  }

  @Test
  void noLimitsNeverExpire() {
    PreviewSession session = TestSessions.session("a");
    Expiry expiry =
        SessionExpiry.evaluate(session, Optional.empty(), CREATED.plusSeconds(1_000_000));
    assertThat(expiry.expired()).isFalse();
    assertThat(expiry.deadline()).isEmpty();
  }

  @Test
  void ttlCountsFromCreation() {
    PreviewSession session = TestSessions.session("a");
    session.getSpec().setTtlSeconds(60L);
    assertThat(SessionExpiry.evaluate(session, Optional.empty(), CREATED.plusSeconds(59)).expired())
        .isFalse();
    Expiry expired = SessionExpiry.evaluate(session, Optional.empty(), CREATED.plusSeconds(60));
    assertThat(expired.expired()).isTrue();
    assertThat(expired.reason()).isEqualTo(SessionReasons.TTL_EXPIRED);
    assertThat(expired.expiresAt()).isEqualTo(CREATED.plusSeconds(60));
  }

  @Test
  void idleCountsFromTheLatestEditOrSyncProgress() {
    PreviewSession session = TestSessions.session("a");
    session.getSpec().setIdleTimeoutSeconds(100L);
    Instant edit = CREATED.plusSeconds(50);
    Optional<SessionActivity> seen = Optional.of(activity(edit, null, null));
    assertThat(SessionExpiry.evaluate(session, seen, CREATED.plusSeconds(149)).expired()).isFalse();
    Expiry idle = SessionExpiry.evaluate(session, seen, CREATED.plusSeconds(150));
    assertThat(idle.expired()).isTrue();
    assertThat(idle.reason()).isEqualTo(SessionReasons.IDLE_TIMEOUT);
    assertThat(idle.lastActivityAt()).isEqualTo(edit);
  }

  @Test
  void aNewAckedRevisionIsActivityButTheSameOneIsNot() {
    PreviewSession session = TestSessions.session("a");
    session.getSpec().setIdleTimeoutSeconds(100L);
    PreviewSessionStatus status = new PreviewSessionStatus();
    status.setPhase(SessionPhase.Running);
    status.setSyncedRevision(4L);
    status.setStartedAt(CREATED.toString());
    session.setStatus(status);
    Instant ackedAt = CREATED.plusSeconds(90);
    assertThat(
            SessionExpiry.evaluate(
                    session, Optional.of(activity(null, 5L, ackedAt)), CREATED.plusSeconds(150))
                .expired())
        .isFalse();
    assertThat(
            SessionExpiry.evaluate(
                    session, Optional.of(activity(null, 4L, ackedAt)), CREATED.plusSeconds(150))
                .expired())
        .isTrue();
  }

  @Test
  void idleIsNotDecidedWithoutTheDatabase() {
    PreviewSession session = TestSessions.session("a");
    session.getSpec().setIdleTimeoutSeconds(10L);
    assertThat(
            SessionExpiry.evaluate(session, Optional.empty(), CREATED.plusSeconds(3600)).expired())
        .isFalse();
  }

  @Test
  void onceExpiredAlwaysExpiredWithTheOriginalReason() {
    PreviewSession session = TestSessions.session("a");
    session.getSpec().setIdleTimeoutSeconds(10L);
    PreviewSessionStatus status = new PreviewSessionStatus();
    status.setPhase(SessionPhase.Expired);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("False")
                .withReason(SessionReasons.IDLE_TIMEOUT)
                .build()));
    session.setStatus(status);
    Expiry expiry =
        SessionExpiry.evaluate(
            session,
            Optional.of(activity(CREATED.plusSeconds(5000), 9L, CREATED.plusSeconds(5000))),
            CREATED.plusSeconds(5001));
    assertThat(expiry.expired()).isTrue();
    assertThat(expiry.reason()).isEqualTo(SessionReasons.IDLE_TIMEOUT);
  }

  @Test
  void activityFromAClockAheadIsCappedAtNow() {
    PreviewSession session = TestSessions.session("a");
    session.getSpec().setIdleTimeoutSeconds(10L);
    Instant now = CREATED.plusSeconds(20);
    Expiry expiry =
        SessionExpiry.evaluate(
            session, Optional.of(activity(now.plusSeconds(3600), null, null)), now);
    assertThat(expiry.lastActivityAt()).isEqualTo(now);
    assertThat(expiry.expiresAt()).isEqualTo(now.plusSeconds(10));
  }
}
