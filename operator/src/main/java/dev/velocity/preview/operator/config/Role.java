package dev.velocity.preview.operator.config;

import java.util.Locale;

/** What one process runs: {@code --role=all|operator|gateway}. */
public enum Role {
  /** The operator and the gateway in one process (the default). */
  ALL,
  /** Only the operator (reconciler, leader election, snapshot GC). */
  OPERATOR,
  /** Only the realtime gateway (scales horizontally). */
  GATEWAY;

  /** Whether this role runs the operator. */
  public boolean runsOperator() {
    return this != GATEWAY;
  }

  /** Whether this role runs the gateway. */
  public boolean runsGateway() {
    return this != OPERATOR;
  }

  /** Parses {@code all}, {@code operator} or {@code gateway}. */
  public static Role parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--role must be all, operator or gateway, got '" + text + "'", e);
    }
  }
}
