package dev.velocity.preview.e2e.chaos;

/** The kinds of fault the chaos suite injects. */
public enum FaultKind {
  /** The realtime gateway stopped and started again; agents reconnect and resume. */
  GATEWAY_RESTART,
  /** The gateway's LISTEN connection killed by {@code pg_terminate_backend}. */
  LISTEN_BACKEND_TERMINATED,
  /** PostgreSQL stopped (fast shutdown) and started again on the same port and data. */
  POSTGRES_RESTART,
  /** A session's {@code sync} container killed while edits stream; the kubelet restarts it. */
  AGENT_KILLED,
  /** The operator stopped and started again. */
  OPERATOR_RESTART,
  /** The object store refuses connections for a few seconds. */
  OBJECT_STORE_DOWN,
  /** A session pod deleted through the API; the operator must create a new one. */
  POD_DELETED,
  /**
   * Session tokens with the shortest allowed life, so rotation and {@code reauth} happen during the
   * trial; counted once per token replaced by the operator while the trial ran.
   */
  SHORT_TOKENS;

  /** The kinds injected at a moment of the trial (all but {@link #SHORT_TOKENS}, a setting). */
  public static java.util.List<FaultKind> injectable() {
    return java.util.Arrays.stream(values()).filter(k -> k != SHORT_TOKENS).toList();
  }
}
