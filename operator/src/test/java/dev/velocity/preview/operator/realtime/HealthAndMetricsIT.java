package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /healthz}, {@code /readyz} and the Prometheus exposition at {@code /metrics}. */
class HealthAndMetricsIT {
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    gw =
        GatewayFixture.start(
            GatewayConfig.fromEnv(Map.of("GATEWAY_PORT", "0", "GATEWAY_IDLE_TIMEOUT_SECONDS", "1")),
            b -> {});
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
    Map<String, Double> before = scrape();
    try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "0")) {
      sse.take(2, Duration.ofSeconds(10));
      gw.write(project, "a.ts", "3");
      sse.take(1, Duration.ofSeconds(10));
      Map<String, Double> after = scrape();
      assertThat(delta(before, after, "preview_gateway_streams_open")).isEqualTo(1);
      assertThat(delta(before, after, "preview_gateway_events_sent_total")).isEqualTo(3);
      assertThat(delta(before, after, "preview_gateway_events_received_total")).isEqualTo(1);
      assertThat(delta(before, after, "preview_gateway_replay_events_count")).isEqualTo(1);
      assertThat(delta(before, after, "preview_gateway_replay_events_sum")).isEqualTo(2);
      assertThat(delta(before, after, "preview_gateway_commit_to_send_seconds_count")).isEqualTo(1);
      assertThat(after)
          .containsEntry("preview_gateway_db_reconnects_total", 0.0)
          .containsEntry("preview_gateway_db_listening", 1.0)
          .containsKey("preview_gateway_projects_listened");
    }
  }

  @Test
  void deliveryTraceTimesEveryStageOfALiveEvent() throws Exception {
    UUID project = gw.newProject();
    List<String> stages = new CopyOnWriteArrayList<>();
    long[] at = new long[4];
    long[] created = new long[1];
    DeliveryTrace recorder =
        new DeliveryTrace() {
          @Override
          public void notified(UUID p, long revision, long nanos) {
            if (revision == 2) {
              stages.add("notified " + revision);
              at[0] = nanos;
            }
          }

          @Override
          public void read(UUID p, long first, long last, long start, long end) {
            if (first == 2) {
              stages.add("read " + first + ".." + last);
              at[1] = start;
              at[2] = end;
            }
          }

          @Override
          public void sent(long revision, long committedAtMicros, long nanos) {
            if (revision == 2) {
              stages.add("sent " + revision);
              created[0] = committedAtMicros;
              at[3] = nanos;
            }
          }
        };
    try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "0")) {
      gw.write(project, "a.ts", "1");
      sse.take(1, Duration.ofSeconds(10)); // the stream is live (or about to be) from here on
      gw.server.metrics().trace(recorder);
      long before = epochMicros();
      gw.write(project, "a.ts", "2");
      long after = epochMicros();
      sse.take(1, Duration.ofSeconds(10));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> stages.contains("sent 2"));
      assertThat(stages).containsExactly("notified 2", "read 2..2", "sent 2");
      assertThat(at[0]).isLessThanOrEqualTo(at[1]);
      assertThat(at[1]).isLessThan(at[2]);
      assertThat(at[2]).isLessThan(at[3]);
      // created_at is the writing transaction's start, kept to the microsecond
      assertThat(created[0]).isBetween(before - 1_000, after);
    } finally {
      gw.server.metrics().trace(null);
    }
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static Map<String, Double> scrape() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
    Map<String, Double> values = new java.util.HashMap<>();
    for (String line : metrics.body().split("\n")) {
      if (!line.startsWith("#") && line.startsWith("preview_gateway_") && !line.contains("{")) {
        String[] parts = line.split(" ");
        values.put(parts[0], Double.parseDouble(parts[1]));
      }
    }
    return values;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    assertThat(after).containsKey(name);
    return after.get(name) - before.getOrDefault(name, 0.0);
  }

  @Test
  void silentConnectionsAreClosedButIdleStreamsAreNot() throws Exception {
    UUID project = gw.newProject();
    try (Socket silent = new Socket("127.0.0.1", gw.server.port());
        SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "0")) {
      silent.setSoTimeout(10_000);
      long start = System.nanoTime();
      assertThat(silent.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      // the stream outlives several idle periods and still delivers
      assertThat(sse.awaitEnd(Duration.ofMillis(2_500))).isFalse();
      long r = gw.write(project, "a.ts", "after idle");
      assertThat(sse.next(Duration.ofSeconds(10)).revision()).isEqualTo(r);
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return SseClient.HTTP.send(
        HttpRequest.newBuilder(gw.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
