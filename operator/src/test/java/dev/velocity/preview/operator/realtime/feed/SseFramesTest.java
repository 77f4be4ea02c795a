package dev.velocity.preview.operator.realtime.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void anEventIsOneHttpChunkHoldingIdEventAndData() {
    ByteBuf frame = SseFrames.event(42, "file:update", "{\"a\":\"é\"}");
    String sse = "id: 42\nevent: file:update\ndata: {\"a\":\"é\"}\n\n";
    int size = sse.getBytes(StandardCharsets.UTF_8).length;
    assertThat(frame.toString(StandardCharsets.UTF_8))
        .isEqualTo(Integer.toHexString(size) + "\r\n" + sse + "\r\n");
    assertThat(SseFrames.text(frame)).isEqualTo(sse);
    assertThat(frame.isDirect()).isTrue();
  }

  @Test
  void controlEventsCarryNoIdSoTheClientsLastEventIdStays() {
    assertThat(SseFrames.text(SseFrames.control("resync", "{}")))
        .isEqualTo("event: resync\ndata: {}\n\n");
  }

  @Test
  void commentsAndTheLastChunk() {
    assertThat(SseFrames.text(SseFrames.keepalive())).isEqualTo(": keepalive\n\n");
    assertThat(SseFrames.lastChunk().toString(StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
  }

  @Test
  void sharedFramesSurviveAnyNumberOfWritesAndReleases() {
    ByteBuf frame = SseFrames.event(1, "file:delete", "{}");
    for (int i = 0; i < 3; i++) {
      ByteBuf view = frame.duplicate();
      view.skipBytes(view.readableBytes());
      view.release();
    }
    assertThat(frame.refCnt()).isEqualTo(1);
    assertThat(SseFrames.text(frame)).startsWith("id: 1\n");
  }

  @Test
  void aLineBreakInAFieldIsRefused() {
    assertThatThrownBy(() -> SseFrames.event(1, "file:update", "{\n}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an SSE field must be a single line");
    assertThatThrownBy(() -> SseFrames.comment("a\rb"))
        .hasMessage("an SSE field must be a single line");
  }
}
