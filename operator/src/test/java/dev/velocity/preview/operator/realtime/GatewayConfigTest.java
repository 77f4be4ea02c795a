package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayConfigTest {

  @Test
  void defaultsMatchTheDesign() {
    GatewayConfig c = GatewayConfig.fromEnv(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.serviceToken()).isEmpty();
    assertThat(c.maxStreamsPerSession()).isEqualTo(4);
    assertThat(c.keepaliveInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.streamBufferBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(c.replayBatch()).isEqualTo(200);
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.databaseTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.databaseThreads()).isEqualTo(6);
    assertThat(c.transport()).isEqualTo(GatewayTransport.AUTO);
    assertThat(c.describe()).containsEntry("GATEWAY_TRANSPORT", "auto");
  }

  @Test
  void readsEveryVariable() {
    GatewayConfig c =
        GatewayConfig.fromEnv(
            Map.ofEntries(
                Map.entry("GATEWAY_PORT", "9090"),
                Map.entry("GATEWAY_SERVICE_TOKEN", "0123456789abcdef0123"),
                Map.entry("GATEWAY_MAX_STREAMS_PER_SESSION", "2"),
                Map.entry("GATEWAY_KEEPALIVE_SECONDS", "30"),
                Map.entry("GATEWAY_STREAM_BUFFER_BYTES", "65536"),
                Map.entry("GATEWAY_REPLAY_BATCH", "50"),
                Map.entry("GATEWAY_DB_HEARTBEAT_MILLIS", "500"),
                Map.entry("GATEWAY_DB_TIMEOUT_MILLIS", "2000"),
                Map.entry("GATEWAY_DB_RECONNECT_MAX_MILLIS", "1000"),
                Map.entry("GATEWAY_IDLE_TIMEOUT_SECONDS", "7"),
                Map.entry("GATEWAY_IO_THREADS", "3"),
                Map.entry("GATEWAY_DB_THREADS", "5"),
                Map.entry("GATEWAY_TRANSPORT", "nio"),
                Map.entry("UNRELATED", "ignored")));
    assertThat(c)
        .isEqualTo(
            new GatewayConfig(
                9090,
                Optional.of("0123456789abcdef0123"),
                2,
                Duration.ofSeconds(30),
                65536,
                50,
                Duration.ofMillis(500),
                Duration.ofMillis(2000),
                Duration.ofMillis(1000),
                Duration.ofSeconds(7),
                3,
                5,
                GatewayTransport.NIO));
    assertThat(c.describe()).containsEntry("GATEWAY_SERVICE_TOKEN", "<set>");
    assertThat(c.describe().toString()).doesNotContain("0123456789abcdef0123");
  }

  @ParameterizedTest
  @CsvSource({"auto,AUTO", "nio,NIO", "epoll,EPOLL", "' EPOLL ',EPOLL", "Nio,NIO", "' ',AUTO"})
  void theTransportSettingIgnoresCaseAndSpaces(String raw, GatewayTransport expected) {
    assertThat(GatewayConfig.fromEnv(Map.of("GATEWAY_TRANSPORT", raw)).transport())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "kqueue", "epol", "nio2"})
  void anUnknownTransportIsRefusedNamingTheVariable(String raw) {
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_TRANSPORT", raw)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GATEWAY_TRANSPORT must be one of auto, nio, epoll, got '" + raw + "'");
  }

  @Test
  void aBlankServiceTokenDisablesTheServiceEndpoint() {
    assertThat(GatewayConfig.fromEnv(Map.of("GATEWAY_SERVICE_TOKEN", "  ")).serviceToken())
        .isEmpty();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GATEWAY_PORT must be an integer, got 'http'");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_PORT", "70000")))
        .hasMessage("GATEWAY_PORT must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_MAX_STREAMS_PER_SESSION", "0")))
        .hasMessage("GATEWAY_MAX_STREAMS_PER_SESSION must be between 1 and 1000, got 0");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_KEEPALIVE_SECONDS", "0")))
        .hasMessage("GATEWAY_KEEPALIVE_SECONDS must be between 1 and 3600, got 0");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_STREAM_BUFFER_BYTES", "10")))
        .hasMessage("GATEWAY_STREAM_BUFFER_BYTES must be between 4096 and 1073741824, got 10");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_SERVICE_TOKEN", "short")))
        .hasMessage("GATEWAY_SERVICE_TOKEN must be at least 16 characters (it is a shared secret)");
  }
}
