package dev.velocity.preview.operator.reconciler;

/** Thrown by a dependent when a session cannot progress, carrying the classified failure. */
public class SessionFailureException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient SessionFailure failure;

  public SessionFailureException(SessionFailure failure, Throwable cause) {
    super(failure.reason() + ": " + failure.message(), cause);
    this.failure = failure;
  }

  /** What went wrong, for the status. */
  public SessionFailure failure() {
    return failure;
  }
}
