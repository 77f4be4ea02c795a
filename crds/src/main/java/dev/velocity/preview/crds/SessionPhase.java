package dev.velocity.preview.crds;

/**
 * Where a session is in its life. The usual path is {@code Pending → Snapshotting → Starting →
 * Running}; {@code Failed}, {@code Expired} and {@code Terminating} end it.
 */
public enum SessionPhase {
  /** Accepted, but waiting: the snapshot cannot start yet (a dependency is unavailable). */
  Pending,
  /** The snapshot of the project is being built or reused. */
  Snapshotting,
  /** The snapshot is ready; the pod is being created, hydrated and started. */
  Starting,
  /** The dev server is ready and the workspace follows the project's edits. */
  Running,
  /** The session cannot run until a person acts; the conditions say why. */
  Failed,
  /** The time to live or the idle timeout passed; the pod was removed, the resource kept. */
  Expired,
  /** The resource is being deleted. */
  Terminating
}
