package dev.velocity.preview.operator.storage;

/** An object-storage operation failed; {@link #kind()} says how. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How an operation failed. */
  public enum Kind {
    /** The object or bucket does not exist. */
    NOT_FOUND,
    /** Credentials or permissions were refused (403, bad signature, unknown key). */
    DENIED,
    /** The service could not be reached, timed out or answered 5xx. */
    UNAVAILABLE,
    /** Anything else (a bad request, a protocol error). */
    FAILED
  }

  private final Kind kind;

  /** A failure of {@code kind}. */
  public StorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** How the operation failed. */
  public Kind kind() {
    return kind;
  }
}
