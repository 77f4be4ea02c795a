package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /healthz}, {@code /readyz} and the Prometheus exposition at {@code /metrics}. */
class HealthAndMetricsIT {
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void healthAndReadiness() throws Exception {
    HttpResponse<String> health = get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(gw.server::isReady);
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
  }

  @Test
  void metricsCountStreamsEventsReplaysAndLag() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "a.ts", "1");
    gw.write(project, "a.ts", "2");
    try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "0")) {
      sse.take(2, Duration.ofSeconds(10));
      gw.write(project, "a.ts", "3");
      sse.take(1, Duration.ofSeconds(10));
      HttpResponse<String> metrics = get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type").orElseThrow())
          .startsWith("text/plain");
      assertThat(metrics.body())
          .contains("preview_gateway_streams_open 1.0")
          .contains("preview_gateway_events_sent_total 3.0")
          .contains("preview_gateway_events_received_total 1.0")
          .contains("preview_gateway_replay_events_count 1")
          .contains("preview_gateway_replay_events_sum 2.0")
          .contains("preview_gateway_commit_to_send_seconds_count 1")
          .contains("preview_gateway_db_reconnects_total 0.0")
          .contains("preview_gateway_db_listening 1.0")
          .contains("preview_gateway_projects_listened 1.0");
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return SseClient.HTTP.send(
        HttpRequest.newBuilder(gw.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
