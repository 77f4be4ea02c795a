package dev.velocity.preview.e2e.kubelet;

/** What a pod worker reacts to; all state changes of a pod happen on its worker thread. */
sealed interface PodEvent {
  /** A container instance exited. */
  record Exited(String container, int instance, int code) implements PodEvent {}

  /** A probe of a container instance finished. */
  record ProbeDone(String container, int instance, ProbeKind kind, Prober.Result result)
      implements PodEvent {}

  /** Time to (re)start a container. */
  record StartDue(String container) implements PodEvent {}

  /** A Secret or ConfigMap the pod may project changed. */
  record Refresh(String kind, String name) implements PodEvent {}

  /** Kill a container's process tree at once (a crash; used by tests and chaos runs). */
  record Kill(String container) implements PodEvent {}

  /** The pod is gone: stop everything. */
  record Stop() implements PodEvent {}

  /** The three probe kinds. */
  enum ProbeKind {
    STARTUP,
    READINESS,
    LIVENESS
  }
}
