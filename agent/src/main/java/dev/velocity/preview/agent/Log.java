package dev.velocity.preview.agent;

import java.time.Instant;

/**
 * The agent's log: one line per message on stderr (kubelet collects it). No logging framework: the
 * agent's dependency set stays tiny and its start fast.
 */
public final class Log {
  private Log() {}

  /** Logs at INFO. */
  public static void info(String message) {
    write("INFO", message);
  }

  /** Logs at WARN. */
  public static void warn(String message) {
    write("WARN", message);
  }

  private static void write(String level, String message) {
    System.err.println(Instant.now() + " " + level + " " + message);
  }
}
