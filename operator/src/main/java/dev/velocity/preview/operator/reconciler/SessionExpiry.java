package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides expiry: {@code ttlSeconds} after creation, or {@code idleTimeoutSeconds} after the last
 * activity — an edit to the project or a change of the revision the agent acknowledged. Once
 * expired, a session stays expired.
 */
public final class SessionExpiry {

  private SessionExpiry() {}

  /**
   * @param activity what the database says now; empty when it could not be read, in which case the
   *     idle timeout is not applied (an outage must not end sessions)
   */
  public static Expiry evaluate(
      PreviewSession session, Optional<SessionActivity> activity, Instant now) {
    PreviewSessionStatus previous = session.getStatus();
    Instant created = creation(session, now);
    Instant lastActivity = lastActivity(previous, activity, created, now);
    Long ttl = session.getSpec().getTtlSeconds();
    Long idle = session.getSpec().getIdleTimeoutSeconds();
    Instant ttlDeadline = ttl == null ? null : created.plus(Duration.ofSeconds(ttl));
    Instant idleDeadline = idle == null ? null : lastActivity.plus(Duration.ofSeconds(idle));
    Instant deadline = earlier(ttlDeadline, idleDeadline);

    if (previous != null && previous.getPhase() == SessionPhase.Expired) {
      String reason =
          previous
              .condition(dev.velocity.preview.crds.ConditionTypes.READY)
              .map(Condition::getReason)
              .filter(
                  r ->
                      r.equals(SessionReasons.TTL_EXPIRED) || r.equals(SessionReasons.IDLE_TIMEOUT))
              .orElse(SessionReasons.TTL_EXPIRED);
      return new Expiry(true, reason, deadline, lastActivity);
    }
    if (ttlDeadline != null && !now.isBefore(ttlDeadline)) {
      return new Expiry(true, SessionReasons.TTL_EXPIRED, deadline, lastActivity);
    }
    if (idleDeadline != null && activity.isPresent() && !now.isBefore(idleDeadline)) {
      return new Expiry(true, SessionReasons.IDLE_TIMEOUT, deadline, lastActivity);
    }
    return new Expiry(false, null, deadline, lastActivity);
  }

  private static Instant lastActivity(
      PreviewSessionStatus previous,
      Optional<SessionActivity> activity,
      Instant created,
      Instant now) {
    Instant latest = created;
    if (previous != null) {
      latest = later(latest, parse(previous.getStartedAt()));
      latest = later(latest, parse(previous.getLastActivityAt()));
    }
    if (activity.isPresent()) {
      SessionActivity a = activity.get();
      latest = later(latest, a.lastEditAt());
      Long before = previous == null ? null : previous.getSyncedRevision();
      if (a.ackedRevision() != null && !a.ackedRevision().equals(before)) {
        latest = later(latest, a.ackedAt() == null ? now : a.ackedAt());
      }
    }
    // a clock ahead of ours must not push activity into the future
    return latest.isAfter(now) ? now : latest;
  }

  private static Instant creation(PreviewSession session, Instant now) {
    Instant created = parse(session.getMetadata().getCreationTimestamp());
    return created == null ? now : created;
  }

  static Instant parse(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
