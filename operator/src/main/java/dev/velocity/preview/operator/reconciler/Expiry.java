package dev.velocity.preview.operator.reconciler;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a session has expired, and when it will if nothing changes.
 *
 * @param expired whether the session is over (its pod must go)
 * @param reason {@link SessionReasons#TTL_EXPIRED} or {@link SessionReasons#IDLE_TIMEOUT} when
 *     expired, else null
 * @param expiresAt the earlier of the TTL and idle deadlines; null when neither is set
 * @param lastActivityAt the latest edit or sync progress seen (or the session's start)
 */
public record Expiry(boolean expired, String reason, Instant expiresAt, Instant lastActivityAt) {

  /** The deadline, if any. */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(expiresAt);
  }
}
