package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 1,000 concurrent streams on one project each receive all of 500 events, in order, once. */
class FanOutIT {
  static final int STREAMS = 1_000;
  static final int EVENTS = 500;
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    // ten sessions of a hundred streams each: per-session accounting without minting 1,000 tokens
    gw =
        GatewayFixture.start(
            GatewayConfig.fromEnv(
                Map.of("GATEWAY_PORT", "0", "GATEWAY_MAX_STREAMS_PER_SESSION", "100")),
            b -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void thousandStreamsEachReceiveEveryEventOnce() throws Exception {
    UUID project = gw.newProject();
    String path = "/v1/projects/" + project + "/events";
    long readsBefore = gw.server.metrics().eventsReceivedTotal();
    try (SseLoadClient client = new SseLoadClient(2)) {
      List<SseLoadClient.Stream> streams = new ArrayList<>(STREAMS);
      String token = null;
      for (int i = 0; i < STREAMS; i++) {
        if (i % 100 == 0) {
          token = gw.session(project).token();
        }
        streams.add(client.open(gw.server.port(), path, token, 0, EVENTS));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> gw.server.metrics().streamsOpen() == STREAMS);
      assertThat(streams).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));

      for (int i = 0; i < EVENTS; i++) {
        gw.write(project, "src/f" + (i % 10) + ".ts", "export const v = " + i + ";");
      }
      for (SseLoadClient.Stream s : streams) {
        assertThat(s.awaitRevision(EVENTS, Duration.ofSeconds(60))).isTrue();
      }
      Thread.sleep(200);
      assertThat(streams)
          .allSatisfy(
              s -> {
                assertThat(s.count()).isEqualTo(EVENTS);
                assertThat(s.lastId()).isEqualTo(EVENTS);
                assertThat(s.outOfOrder()).isZero();
              });
      // one read per revision for the whole process, not one per stream
      assertThat(gw.server.metrics().eventsReceivedTotal() - readsBefore).isEqualTo(EVENTS);
      streams.forEach(SseLoadClient.Stream::close);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> gw.server.metrics().streamsOpen() == 0);
  }
}
