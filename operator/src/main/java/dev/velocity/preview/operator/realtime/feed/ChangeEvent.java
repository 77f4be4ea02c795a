package dev.velocity.preview.operator.realtime.feed;

import io.netty.buffer.ByteBuf;

/**
 * One revision of a project's change log, ready to send: its SSE frame (as an HTTP chunk) is
 * encoded once and shared by every stream.
 *
 * @param revision the project revision (the SSE {@code id})
 * @param type the SSE event name ({@code file:update}, {@code file:delete}, {@code bulk:apply})
 * @param frame the encoded chunk; {@link #frame()} hands out an independent view
 * @param committedAtMicros the change's {@code created_at} (epoch microseconds): the start of the
 *     writing transaction ({@code now()}), so commit → send figures include the RPC's own duration
 */
public record ChangeEvent(long revision, String type, ByteBuf frame, long committedAtMicros) {

  /** An independent view of the frame, positioned at its start; writing it copies nothing. */
  @Override
  public ByteBuf frame() {
    return frame.duplicate();
  }

  /** The frame's size in bytes. */
  public int size() {
    return frame.readableBytes();
  }
}
