package dev.velocity.preview.operator.reconciler;

import java.util.Optional;

/**
 * What a session's pod tells about the session.
 *
 * @param name the pod's name
 * @param terminating whether the pod is being deleted
 * @param specHash the spec hash it was created with
 * @param hydrate how far the {@code hydrate} init container got
 * @param hydrateMessage the init container's failure message, if it failed
 * @param ready whether every container is ready (the pod's Ready condition)
 * @param problem what keeps the pod from running, if anything
 */
public record PodState(
    String name,
    boolean terminating,
    String specHash,
    Hydration hydrate,
    String hydrateMessage,
    boolean ready,
    Optional<SessionFailure> problem) {

  /** Progress of the {@code hydrate} init container. */
  public enum Hydration {
    /** Not started (pod pending or image being pulled). */
    PENDING,
    /** Downloading and extracting. */
    RUNNING,
    /** The download failed; the kubelet restarts it and the session waits (transient). */
    RETRYING,
    /** Exited 0: the workspace holds the snapshot. */
    SUCCEEDED,
    /** Exited non-zero. */
    FAILED
  }

  /** Whether the problem (if any) stops the session until a person acts. */
  public boolean failed() {
    return problem.map(SessionFailure::permanent).orElse(false);
  }
}
