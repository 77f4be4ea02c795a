package dev.velocity.preview.operator.reconciler;

import java.util.Objects;

/**
 * What the operator contributes to every session pod beyond the session's own spec.
 *
 * @param agentImage image of the agent (init container {@code hydrate}, sidecar {@code sync})
 * @param realtimeUrl base URL of the realtime gateway as seen from session pods
 * @param runAsUser UID every container runs as (non-root)
 */
public record SessionPodSettings(String agentImage, String realtimeUrl, long runAsUser) {

  /** UID of the agent user in the agent image. */
  public static final long DEFAULT_UID = 10001;

  /** Checks the fields. */
  public SessionPodSettings {
    Objects.requireNonNull(agentImage, "agentImage");
    Objects.requireNonNull(realtimeUrl, "realtimeUrl");
    if (runAsUser <= 0) {
      throw new IllegalArgumentException("runAsUser must be a non-root UID, got " + runAsUser);
    }
  }
}
