package dev.velocity.preview.operator.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Deflate's bit order: values are packed from the least significant bit up, bytes appended. */
final class BitSink {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private byte[] buffer = new byte[64 << 10];
  private int position;
  private long bits;
  private int count;

  /** Starts a new stream; {@code expected} sizes the buffer (it grows if needed). */
  void reset(int expected) {
    if (buffer.length < expected) {
      buffer = new byte[expected];
    }
    position = 0;
    bits = 0;
    count = 0;
  }

  /** Appends the low {@code n} bits (n at most 16) of {@code value}. */
  void put(int value, int n) {
    bits |= ((long) value) << count;
    count += n;
    if (count >= 32) {
      if (position + 4 > buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      INT_LE.set(buffer, position, (int) bits);
      position += 4;
      bits >>>= 32;
      count -= 32;
    }
  }

  /** Pads to a byte boundary with zero bits; returns the stream's length in bytes. */
  int finish() {
    while (count > 0) {
      if (position == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      buffer[position++] = (byte) bits;
      bits >>>= 8;
      count -= 8;
    }
    count = 0;
    bits = 0;
    return position;
  }

  /** Replaces a buffer larger than {@code max} bytes by a small one. */
  void trim(int max) {
    if (buffer.length > max) {
      buffer = new byte[64 << 10];
    }
  }

  /** Bits written since {@link #reset}. */
  long bitCount() {
    return position * 8L + count;
  }

  byte[] buffer() {
    return buffer;
  }
}
