package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
      SessionEventRecorder recorder =
          new SessionEventRecorder(client, Clock.systemUTC(), "test-instance");
      PreviewSession session = TestSessions.session("quiet");
      try {
        long start = System.nanoTime();
        recorder.record(session, List.of(EVENT));
        // the poster thread takes that one and hangs on the silent server; fill the queue
        Thread.sleep(200);
        for (int i = 0; i < SessionEventRecorder.QUEUE_CAPACITY + 5; i++) {
          recorder.record(session, List.of(EVENT));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(recorder.dropped()).isEqualTo(5);
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
