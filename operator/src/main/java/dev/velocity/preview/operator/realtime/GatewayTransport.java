package dev.velocity.preview.operator.realtime;

import java.util.Locale;

/**
 * Which Netty transport the gateway's sockets use ({@code GATEWAY_TRANSPORT}). {@link #EPOLL} calls
 * {@code epoll(7)} and {@code writev(2)} directly through Netty's native library (Linux x86-64
 * here); {@link #NIO} is the JDK's portable selector; {@link #AUTO} takes epoll where the native
 * library loads and NIO elsewhere.
 */
public enum GatewayTransport {
  /** Epoll where available, otherwise NIO. */
  AUTO,
  /** The JDK's NIO selector. */
  NIO,
  /** Netty's native epoll transport; the gateway refuses to start where it is unavailable. */
  EPOLL;

  /** The value as written in the environment ({@code auto}, {@code nio}, {@code epoll}). */
  public String envValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code GATEWAY_TRANSPORT}.
   *
   * @throws IllegalArgumentException naming the variable and the allowed values
   */
  public static GatewayTransport parse(String raw) {
    for (GatewayTransport t : values()) {
      if (t.envValue().equals(raw.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "GATEWAY_TRANSPORT must be one of auto, nio, epoll, got '" + raw + "'");
  }
}
