package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;

/** Issues the short-lived credentials of a session pod. */
@FunctionalInterface
public interface SessionCredentials {

  /**
   * A fresh token for {@code session}'s project and a fresh presigned URL of {@code snapshot}.
   *
   * @throws RuntimeException when the token cannot be signed or the URL not presigned
   */
  IssuedCredentials issue(PreviewSession session, SessionSnapshot snapshot);
}
