package dev.velocity.preview.agent;

/**
 * The agent's process exit codes (a contract: the operator and the process kubelet read them).
 *
 * <p>Every non-zero exit prints exactly one line on stderr naming what went wrong.
 */
public enum ExitCode {
  /** Success. */
  OK(0, "success"),
  /** A bug or an unexpected runtime failure. */
  INTERNAL(1, "internal error"),
  /** Bad command line or environment variable. */
  USAGE(2, "usage or configuration error"),
  /** The snapshot could not be downloaded (network, HTTP status, expired URL). */
  DOWNLOAD(3, "snapshot download failed"),
  /** The downloaded snapshot does not match SNAPSHOT_SHA256. */
  INTEGRITY(4, "snapshot sha256 mismatch"),
  /** The archive is malformed or hostile (paths, symlinks, duplicates, headers, CRC). */
  UNSAFE_ARCHIVE(5, "unsafe or corrupt archive"),
  /** The archive exceeds a configured limit (entries, file size, total size, ratio). */
  LIMIT_EXCEEDED(6, "archive exceeds a limit"),
  /** The workspace or state directory cannot be written. */
  IO(7, "workspace or state I/O error");

  private final int code;
  private final String description;

  ExitCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The numeric process exit status. */
  public int code() {
    return code;
  }

  /** A short description, as printed by {@code --help}. */
  public String description() {
    return description;
  }
}
