package dev.velocity.preview.operator.realtime.feed;

import java.nio.ByteBuffer;

/**
 * One revision of a project's change log, ready to send: its SSE frame is encoded once and shared
 * by every stream.
 *
 * @param revision the project revision (the SSE {@code id})
 * @param type the SSE event name ({@code file:update}, {@code file:delete}, {@code bulk:apply})
 * @param frame the encoded SSE frame, read-only; {@link #frame()} hands out an independent view
 * @param committedAtMillis when the database recorded the change (epoch millis), for lag metrics
 */
public record ChangeEvent(long revision, String type, ByteBuffer frame, long committedAtMillis) {

  /** An independent view of the frame, positioned at its start. */
  @Override
  public ByteBuffer frame() {
    return frame.duplicate();
  }

  /** The frame's size in bytes. */
  public int size() {
    return frame.remaining();
  }
}
