package dev.velocity.preview.agent;

/**
 * A failure that ends a command with {@link #exitCode()} and a one-line message for stderr. The
 * message must stand alone: it is all an operator sees in the container's termination message.
 */
public class AgentException extends RuntimeException {
  private final ExitCode exitCode;

  /** A failure with {@code exitCode} and {@code message}. */
  public AgentException(ExitCode exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** A failure with {@code exitCode}, {@code message} and the underlying cause. */
  public AgentException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  /** The exit code the process ends with. */
  public ExitCode exitCode() {
    return exitCode;
  }
}
