package dev.velocity.preview.operator.realtime.feed;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent-event framing (WHATWG HTML, "event stream interpretation"). A frame is encoded once
 * into a direct buffer and then written to every stream that needs it, so fan-out copies nothing.
 */
public final class SseFrames {
  private static final ByteBuffer KEEPALIVE = comment("keepalive");

  private SseFrames() {}

  /** {@code id: <id>\nevent: <type>\ndata: <json>\n\n}. */
  public static ByteBuffer event(long id, String type, String json) {
    return direct(
        "id: " + id + "\nevent: " + requireLine(type) + "\ndata: " + requireLine(json) + "\n\n");
  }

  /**
   * An event without an {@code id:} line: a control event ({@code resync}, {@code reauth}) that
   * must not move the client's Last-Event-ID.
   */
  public static ByteBuffer control(String type, String json) {
    return direct("event: " + requireLine(type) + "\ndata: " + requireLine(json) + "\n\n");
  }

  /** A comment line ({@code : text}), which every SSE client ignores. */
  public static ByteBuffer comment(String text) {
    return direct(": " + requireLine(text) + "\n\n");
  }

  /** The {@code : keepalive} comment (a shared read-only view; duplicate it before writing). */
  public static ByteBuffer keepalive() {
    return KEEPALIVE.duplicate();
  }

  private static String requireLine(String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      // compact JSON never contains a raw line break; a value that does would split the frame
      throw new IllegalArgumentException("an SSE field must be a single line");
    }
    return value;
  }

  private static ByteBuffer direct(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer.asReadOnlyBuffer();
  }
}
