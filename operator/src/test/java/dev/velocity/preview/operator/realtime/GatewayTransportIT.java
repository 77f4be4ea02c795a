package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.operator.realtime.SseClient.Event;
import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway serves replay and live events on either transport. */
class GatewayTransportIT {

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void streamsReplayAndLiveEventsOnTheTransport(String transport) throws Exception {
    if (transport.equals("epoll")) {
      Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
    }
    GatewayConfig config =
        GatewayConfig.fromEnv(Map.of("GATEWAY_PORT", "0", "GATEWAY_TRANSPORT", transport));
    try (GatewayFixture gw = GatewayFixture.start(config, b -> {})) {
      assertThat(gw.server.transport()).isEqualTo(transport);
      UUID project = gw.newProject();
      gw.write(project, "src/a.ts", "replayed");
      try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "0")) {
        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.take(1, Duration.ofSeconds(20)))
            .extracting(Event::revision)
            .containsExactly(1L);
        gw.write(project, "src/b.ts", "live");
        List<Event> live = sse.take(1, Duration.ofSeconds(20));
        assertThat(live).extracting(Event::revision).containsExactly(2L);
        assertThat(live.get(0).data()).contains("\"filePath\":\"src/b.ts\"");
      }
    }
  }
}
