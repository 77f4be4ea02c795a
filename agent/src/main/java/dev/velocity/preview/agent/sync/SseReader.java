package dev.velocity.preview.agent.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A server-sent-events parser (the WHATWG event-stream format): lines end with CRLF, LF or CR;
 * {@code :} starts a comment; fields {@code id}, {@code event}, {@code data} (joined with {@code
 * \n}); a blank line dispatches. An incomplete event at end of stream is dropped, as the format
 * requires. Lines longer than the limit are refused (the caller re-hydrates instead).
 */
public final class SseReader {
  /** Thrown when one line or event exceeds the configured size. */
  public static final class EventTooLargeException extends IOException {
    EventTooLargeException(int limit) {
      super("event larger than MAX_EVENT_BYTES (" + limit + " bytes)");
    }
  }

  private final InputStream in;
  private final int maxEventBytes;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int len;
  private boolean skipLf;
  private byte[] line = new byte[1024];
  private int lineLen;
  private byte[] data = new byte[1024];
  private int dataLen;
  private boolean hasData;
  private String type;
  private String lastId;
  private long lastActivityNanos = System.nanoTime();

  /** A reader of {@code in} refusing events over {@code maxEventBytes}. */
  public SseReader(InputStream in, int maxEventBytes) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
  }

  /** The next event, or null at end of stream. */
  public SseEvent next() throws IOException {
    while (true) {
      if (!readLine()) {
        return null;
      }
      if (lineLen == 0) {
        if (hasData || type != null) {
          SseEvent e =
              new SseEvent(
                  lastId,
                  type == null ? "message" : type,
                  Arrays.copyOf(data, dataLen),
                  System.nanoTime());
          resetEvent();
          if (e.data().length > 0 || !e.type().equals("message")) {
            return e;
          }
        }
        continue;
      }
      field();
    }
  }

  /** True when bytes are already buffered (the reader is not caught up with the stream). */
  public boolean hasBufferedInput() throws IOException {
    return pos < len || in.available() > 0;
  }

  /** {@link System#nanoTime()} of the last byte received (keepalives included). */
  public long lastActivityNanos() {
    return lastActivityNanos;
  }

  private void resetEvent() {
    dataLen = 0;
    hasData = false;
    type = null;
    if (data.length > 1 << 20) {
      data = new byte[1024];
    }
    if (line.length > 1 << 20) {
      line = new byte[1024];
    }
  }

  private void field() throws IOException {
    if (line[0] == ':') {
      return;
    }
    int colon = -1;
    for (int i = 0; i < lineLen; i++) {
      if (line[i] == ':') {
        colon = i;
        break;
      }
    }
    String name;
    int valueStart;
    if (colon < 0) {
      name = new String(line, 0, lineLen, StandardCharsets.UTF_8);
      valueStart = lineLen;
    } else {
      name = new String(line, 0, colon, StandardCharsets.UTF_8);
      valueStart = colon + 1;
      if (valueStart < lineLen && line[valueStart] == ' ') {
        valueStart++;
      }
    }
    int valueLen = lineLen - valueStart;
    switch (name) {
      case "data" -> {
        int needed = dataLen + (hasData ? 1 : 0) + valueLen;
        if (needed > maxEventBytes) {
          throw new EventTooLargeException(maxEventBytes);
        }
        if (needed > data.length) {
          data = Arrays.copyOf(data, Math.max(needed, Math.min(maxEventBytes, data.length * 2)));
        }
        if (hasData) {
          data[dataLen++] = '\n';
        }
        System.arraycopy(line, valueStart, data, dataLen, valueLen);
        dataLen += valueLen;
        hasData = true;
      }
      case "event" -> type = new String(line, valueStart, valueLen, StandardCharsets.UTF_8);
      case "id" -> {
        String id = new String(line, valueStart, valueLen, StandardCharsets.UTF_8);
        if (id.indexOf('\0') < 0) {
          lastId = id;
        }
      }
      default -> {
        // "retry" and unknown fields: the agent has its own reconnect policy
      }
    }
  }

  /** Reads one line into {@code line}; false at end of stream. */
  private boolean readLine() throws IOException {
    lineLen = 0;
    while (true) {
      if (pos == len) {
        len = in.read(buf);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return false;
        }
        lastActivityNanos = System.nanoTime();
      }
      if (skipLf) {
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < len) {
        byte b = buf[pos];
        if (b == '\n' || b == '\r') {
          append(start, pos);
          pos++;
          skipLf = b == '\r';
          return true;
        }
        pos++;
      }
      append(start, pos);
    }
  }

  private void append(int from, int to) throws IOException {
    int n = to - from;
    if (n == 0) {
      return;
    }
    if (lineLen + n > maxEventBytes) {
      throw new EventTooLargeException(maxEventBytes);
    }
    if (lineLen + n > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLen + n, Math.min(maxEventBytes, line.length * 2)));
    }
    System.arraycopy(buf, from, line, lineLen, n);
    lineLen += n;
  }
}
