package dev.velocity.preview.operator.reconciler;

import java.util.Objects;

/**
 * Why a session cannot progress.
 *
 * @param reason a {@link SessionReasons} failure reason
 * @param message one line for a person
 * @param permanent whether retrying cannot help until a person acts (no retries then)
 */
public record SessionFailure(String reason, String message, boolean permanent) {

  /** Checks the fields. */
  public SessionFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** A failure that retrying may fix. */
  public static SessionFailure transientFailure(String reason, String message) {
    return new SessionFailure(reason, message, false);
  }

  /** A failure only a person can fix. */
  public static SessionFailure permanentFailure(String reason, String message) {
    return new SessionFailure(reason, message, true);
  }
}
