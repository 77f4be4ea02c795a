package dev.velocity.preview.agent.zip;

import dev.velocity.preview.agent.AgentException;
import dev.velocity.preview.agent.ExitCode;

/** Builds the one-line errors for refused archives. */
public final class Refusal {
  private static final String PREFIX = "snapshot archive refused: ";

  private Refusal() {}

  /** The archive as a whole is malformed or hostile. */
  public static AgentException unsafe(String reason) {
    return new AgentException(ExitCode.UNSAFE_ARCHIVE, PREFIX + reason);
  }

  /** One entry is malformed or hostile. */
  public static AgentException unsafe(String entryName, String reason) {
    return new AgentException(
        ExitCode.UNSAFE_ARCHIVE, PREFIX + "entry " + quote(entryName) + " " + reason);
  }

  /** The archive exceeds a limit. */
  public static AgentException limit(String reason) {
    return new AgentException(ExitCode.LIMIT_EXCEEDED, PREFIX + reason);
  }

  /** One entry exceeds a limit. */
  public static AgentException limit(String entryName, String reason) {
    return new AgentException(
        ExitCode.LIMIT_EXCEEDED, PREFIX + "entry " + quote(entryName) + " " + reason);
  }

  /** {@code name} quoted with control characters escaped, abbreviated past 200 characters. */
  public static String quote(String name) {
    StringBuilder sb = new StringBuilder(Math.min(name.length(), 200) + 2).append('"');
    for (int i = 0; i < name.length() && i < 200; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '"') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (name.length() > 200) {
      sb.append('…');
    }
    return sb.append('"').toString();
  }
}
