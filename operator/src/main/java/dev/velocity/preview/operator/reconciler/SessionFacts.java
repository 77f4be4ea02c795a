package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything one reconciliation learned about a session; the {@link SessionStatusAggregator} turns
 * it into the status.
 *
 * @param session the session as reconciled (its status is the previous status)
 * @param now when the facts were gathered
 * @param expiry the expiry decision
 * @param activity what the database said, if it could be read
 * @param activityFailure why the database could not be read, if it could not
 * @param snapshot the session's snapshot, if there is one
 * @param failure why the workflow could not finish, if it could not
 * @param secret when the session Secret's credentials are replaced next, if it exists
 * @param pod the pod's state, if the pod exists
 * @param serviceReady whether the Service exists (only when a port is exposed)
 */
public record SessionFacts(
    PreviewSession session,
    Instant now,
    Expiry expiry,
    Optional<SessionActivity> activity,
    Optional<SessionFailure> activityFailure,
    Optional<SessionSnapshot> snapshot,
    Optional<SessionFailure> failure,
    Optional<SecretState> secret,
    Optional<PodState> pod,
    boolean serviceReady) {

  /**
   * The session Secret as far as status is concerned.
   *
   * @param tokenExpiresAt when its token expires
   * @param rotateAt when it is replaced next
   */
  public record SecretState(Instant tokenExpiresAt, Instant rotateAt) {}
}
