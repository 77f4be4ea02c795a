package dev.velocity.preview.agent.fs;

/**
 * A workspace path the agent will not touch: it breaks the path rules, uses the agent's reserved
 * directory, crosses a symbolic link, or names a directory where a file is expected.
 */
public final class RefusedPathException extends Exception {
  /** Refuses {@code path} for {@code reason}. */
  public RefusedPathException(String path, String reason) {
    super("refused path \"" + path + "\": " + reason, null, false, false);
  }
}
