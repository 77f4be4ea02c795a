package dev.velocity.preview.operator.reconciler;

/**
 * The CamelCase reasons on a session's conditions and events. Failure reasons name what a person
 * has to look at.
 */
public final class SessionReasons {

  // failures a person acts on
  /** {@code spec.projectId} names no project in the database. */
  public static final String PROJECT_NOT_FOUND = "ProjectNotFound";

  /** The spec cannot be served as written (for example a malformed projectId). */
  public static final String INVALID_SPEC = "InvalidSpec";

  /** Building the snapshot failed for a reason other than availability. */
  public static final String SNAPSHOT_FAILED = "SnapshotFailed";

  /** The object store could not be reached; retried with backoff. */
  public static final String STORAGE_UNAVAILABLE = "StorageUnavailable";

  /** The object store refused the operator's credentials or bucket policy. */
  public static final String STORAGE_DENIED = "StorageDenied";

  /** PostgreSQL could not be reached; retried with backoff. */
  public static final String DATABASE_UNAVAILABLE = "DatabaseUnavailable";

  /** The Kubernetes API refused or failed a request; retried with backoff. */
  public static final String KUBERNETES_API_ERROR = "KubernetesApiError";

  /** Credentials could not be issued (signing or presigning failed). */
  public static final String CREDENTIALS_FAILED = "CredentialsFailed";

  /** The init container could not download, verify or extract the snapshot. */
  public static final String HYDRATION_FAILED = "HydrationFailed";

  /** An image (dev server or agent) cannot be pulled. */
  public static final String IMAGE_PULL_FAILED = "ImagePullFailed";

  /** A container keeps crashing (CrashLoopBackOff). */
  public static final String CONTAINER_CRASHING = "ContainerCrashing";

  /** The pod failed as a whole. */
  public static final String POD_FAILED = "PodFailed";

  /** No node can run the pod (yet). */
  public static final String UNSCHEDULABLE = "Unschedulable";

  /** {@code spec.ttlSeconds} passed. */
  public static final String TTL_EXPIRED = "TtlExpired";

  /** {@code spec.idleTimeoutSeconds} passed without edits or sync progress. */
  public static final String IDLE_TIMEOUT = "IdleTimeout";

  /** An unexpected error; the message says which. */
  public static final String INTERNAL_ERROR = "InternalError";

  // progress
  public static final String ACCEPTED = "Accepted";
  public static final String BUILDING = "Building";
  public static final String AVAILABLE = "Available";
  public static final String WAITING_FOR_SNAPSHOT = "WaitingForSnapshot";
  public static final String ISSUING = "Issuing";
  public static final String ISSUED = "Issued";
  public static final String WAITING_FOR_POD = "WaitingForPod";
  public static final String POD_PENDING = "PodPending";
  public static final String HYDRATING = "Hydrating";
  public static final String HYDRATED = "Hydrated";
  public static final String NO_ACK = "NoAck";
  public static final String CATCHING_UP = "CatchingUp";
  public static final String CAUGHT_UP = "CaughtUp";
  public static final String STARTING = "Starting";
  public static final String REPLACING_POD = "ReplacingPod";
  public static final String READY = "Ready";
  public static final String SESSION_EXPIRED = "SessionExpired";
  public static final String DELETING = "Deleting";

  /** Reasons that mean something is wrong (events of type Warning). */
  public static final java.util.Set<String> FAILURES =
      java.util.Set.of(
          PROJECT_NOT_FOUND,
          INVALID_SPEC,
          SNAPSHOT_FAILED,
          STORAGE_UNAVAILABLE,
          STORAGE_DENIED,
          DATABASE_UNAVAILABLE,
          KUBERNETES_API_ERROR,
          CREDENTIALS_FAILED,
          HYDRATION_FAILED,
          IMAGE_PULL_FAILED,
          CONTAINER_CRASHING,
          POD_FAILED,
          UNSCHEDULABLE,
          INTERNAL_ERROR);

  private SessionReasons() {}
}
