package dev.velocity.preview.agent.sync;

import java.io.IOException;

/** The gateway answered with a status other than the expected one. */
public final class GatewayStatusException extends IOException {
  private final int status;

  /** {@code what} failed with HTTP {@code status}. */
  public GatewayStatusException(String what, int status) {
    super(what + " failed: HTTP " + status + reason(status));
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> " (token rejected or expired)";
      case 403 -> " (token is for another project)";
      case 404 -> " (no such project)";
      case 429 -> " (too many streams for this session)";
      default -> "";
    };
  }
}
