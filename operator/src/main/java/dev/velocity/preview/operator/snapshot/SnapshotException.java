package dev.velocity.preview.operator.snapshot;

/** A snapshot could not be built or found; {@link #reason()} says why. */
public final class SnapshotException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a snapshot failed. */
  public enum Reason {
    /** No project with that id. */
    PROJECT_NOT_FOUND,
    /** The database could not be reached or refused the connection. */
    DATABASE_UNAVAILABLE,
    /** Object storage could not be reached or answered 5xx. */
    STORAGE_UNAVAILABLE,
    /** Object storage refused the credentials or the operation. */
    STORAGE_DENIED,
    /** Anything else: bad data, a missing binary blob, a query error, a full disk. */
    BUILD_FAILED
  }

  private final Reason reason;

  /** A failure for {@code reason}. */
  public SnapshotException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the snapshot failed. */
  public Reason reason() {
    return reason;
  }
}
