package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events never hold up a reconciliation: with an API server that accepts connections but never
 * answers, recording returns at once, and once the queue is full further events are dropped and
 * counted instead of blocking.
 */
class SessionEventRecorderTest {

  private static final SessionEvent EVENT =
      new SessionEvent(false, "Starting", "Phase -> Starting");

  @Test
  void recordingNeverWaitsForTheApiServerAndAFullQueueDrops() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 2000, InetAddress.getLoopbackAddress());
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                        .withRequestTimeout(60_000)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
      PrometheusRegistry registry = new PrometheusRegistry();
      SessionEventRecorder recorder =
          new SessionEventRecorder(
              client, Clock.systemUTC(), "test-instance", new SessionMetrics(registry));
      PreviewSession session = TestSessions.session("quiet");
      try {
        long start = System.nanoTime();
        recorder.record(session, List.of(EVENT));
        // the session's poster thread takes that one and hangs on the silent server; its queue
        // fills with the same session's events (a session's events all go to one poster)
        Thread.sleep(200);
        for (int i = 0; i < SessionEventRecorder.QUEUE_PER_POSTER + 5; i++) {
          recorder.record(session, List.of(EVENT));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(recorder.dropped()).isEqualTo(5);
        assertThat(
                registry.scrape().stream()
                    .filter(m -> m.getMetadata().getName().equals("preview_session_events_dropped"))
                    .findFirst()
                    .map(m -> ((CounterSnapshot) m).getDataPoints().get(0).getValue()))
            .contains(5.0);
      } finally {
        long closing = System.nanoTime();
        recorder.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing))
            .as("close gives up on a hung API server after its timeout")
            .isLessThan(Duration.ofSeconds(10));
      }
    }
  }
}
