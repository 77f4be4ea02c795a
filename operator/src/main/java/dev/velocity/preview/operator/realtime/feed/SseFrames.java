package dev.velocity.preview.operator.realtime.feed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent-event framing (WHATWG HTML, "event stream interpretation"), already wrapped as one
 * HTTP/1.1 chunk ({@code <hex size>\r\n<frame>\r\n}). A frame is encoded once into a direct buffer
 * and then written, as a {@link ByteBuf#duplicate() duplicate}, to every stream that needs it: the
 * fan-out copies nothing and encodes nothing per stream.
 *
 * <p>The buffers are unreleasable views of JDK direct buffers: the garbage collector frees them
 * once no channel holds them, so no reference count can be leaked or double-released.
 */
public final class SseFrames {
  private static final ByteBuf KEEPALIVE = comment("keepalive");
  private static final ByteBuf LAST_CHUNK = wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

  private SseFrames() {}

  /** {@code id: <id>\nevent: <type>\ndata: <json>\n\n}. */
  public static ByteBuf event(long id, String type, String json) {
    return chunk(
        "id: " + id + "\nevent: " + requireLine(type) + "\ndata: " + requireLine(json) + "\n\n");
  }

  /**
   * An event without an {@code id:} line: a control event ({@code resync}, {@code reauth}) that
   * must not move the client's Last-Event-ID.
   */
  public static ByteBuf control(String type, String json) {
    return chunk("event: " + requireLine(type) + "\ndata: " + requireLine(json) + "\n\n");
  }

  /** A comment line ({@code : text}), which every SSE client ignores. */
  public static ByteBuf comment(String text) {
    return chunk(": " + requireLine(text) + "\n\n");
  }

  /** The {@code : keepalive} comment. */
  public static ByteBuf keepalive() {
    return KEEPALIVE.duplicate();
  }

  /** The terminating zero-length chunk of the response. */
  public static ByteBuf lastChunk() {
    return LAST_CHUNK.duplicate();
  }

  /** The SSE bytes of a chunk built here (for tests and diagnostics). */
  public static String text(ByteBuf chunk) {
    String all = chunk.toString(StandardCharsets.UTF_8);
    int start = all.indexOf("\r\n") + 2;
    return all.substring(start, all.length() - 2);
  }

  private static String requireLine(String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      // compact JSON never contains a raw line break; a value that does would split the frame
      throw new IllegalArgumentException("an SSE field must be a single line");
    }
    return value;
  }

  private static ByteBuf chunk(String frame) {
    byte[] body = frame.getBytes(StandardCharsets.UTF_8);
    byte[] head = (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length + 2];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    all[all.length - 2] = '\r';
    all[all.length - 1] = '\n';
    return wrap(all);
  }

  private static ByteBuf wrap(byte[] bytes) {
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
    direct.put(bytes).flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
  }
}
