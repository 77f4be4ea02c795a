package dev.velocity.preview.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  static List<String> parse(String stream, int chunk) throws IOException {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    InputStream in =
        new ByteArrayInputStream(bytes) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
          }
        };
    SseReader r = new SseReader(in, 1 << 20);
    List<String> out = new ArrayList<>();
    SseEvent e;
    while ((e = r.next()) != null) {
      out.add(e.id() + "|" + e.type() + "|" + new String(e.data(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void parsesEveryLineEndingCommentsAndMultiLineData() throws IOException {
    String stream =
        ": keepalive\r\n\r\n"
            + "id: 1\r\nevent: file:update\r\ndata: {\"a\":1}\r\n\r\n"
            + "id: 2\nevent: file:delete\ndata:{\"b\":2}\n\n"
            + "id: 3\revent: bulk:apply\rdata: line1\rdata: line2\r\r"
            + "event: resync\ndata: {}\n\n"
            + "retry: 10\nid: 4\nevent: reauth\n\n"
            + "id: 5\nevent: file:update\ndata: {\"cut\":";
    List<String> expected =
        List.of(
            "1|file:update|{\"a\":1}",
            "2|file:delete|{\"b\":2}",
            "3|bulk:apply|line1\nline2",
            "3|resync|{}",
            "4|reauth|");
    for (int chunk : new int[] {1, 2, 3, 7, 64, 4096}) {
      assertThat(parse(stream, chunk)).as("chunk " + chunk).isEqualTo(expected);
    }
  }

  @Test
  void keepsUtf8IntactAcrossReads() throws IOException {
    String stream = "event: file:update\ndata: {\"c\":\"名前 ü 🎉\"}\n\n";
    assertThat(parse(stream, 1)).containsExactly("null|file:update|{\"c\":\"名前 ü 🎉\"}");
  }

  @Test
  void refusesEventsOverTheLimit() {
    String big = "event: file:update\ndata: " + "x".repeat(5000) + "\n\n";
    SseReader r =
        new SseReader(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)), 4096);
    assertThatThrownBy(r::next)
        .isInstanceOf(SseReader.EventTooLargeException.class)
        .hasMessage("event larger than MAX_EVENT_BYTES (4096 bytes)");
  }
}
