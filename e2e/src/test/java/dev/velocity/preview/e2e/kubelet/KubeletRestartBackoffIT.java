package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.e2e.cluster.MockApiServer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart back-off as a real kubelet does it: the first crash of a container is restarted at once
 * and reported without {@code CrashLoopBackOff} (an operator would otherwise call one OOM kill a
 * crash loop); a second crash within the back-off waits and says {@code CrashLoopBackOff}. The
 * back-off base here is a minute, so the two cases cannot be confused by timing.
 */
class KubeletRestartBackoffIT {
  private static final String NS = "backoff-it";
  @TempDir static Path root;
  private static MockApiServer api;
  private static KubernetesClient client;
  private static ProcessKubelet kubelet;

  @BeforeAll
  static void start() {
    api = MockApiServer.start();
    client = api.newClient(NS);
    ImageTable images = ImageTable.defaults("example.com/preview-agent:*", Path.of("agent.jar"));
    kubelet =
        ProcessKubelet.start(
            client,
            KubeletConfig.defaults(root, images)
                .withRestartBackoff(Duration.ofSeconds(60), Duration.ofMinutes(5)));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    client.close();
    api.close();
  }

  @Test
  void firstKillRestartsAtOnceAndOnlyASecondOneBacksOff() {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("victim")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withCommand("sh", "-c", "sleep 600")
                .endContainer()
                .endSpec()
                .build())
        .create();
    await().atMost(Duration.ofSeconds(20)).until(() -> running(main()));

    kubelet.killContainer(NS, "victim", "main");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ContainerStatus s = main();
              assertThat(s.getRestartCount()).isEqualTo(1);
              assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(137);
              assertThat(running(s)).as("running again, without a minute of back-off").isTrue();
            });

    kubelet.killContainer(NS, "victim", "main");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ContainerStatus s = main();
              assertThat(s.getState().getWaiting()).isNotNull();
              assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
              assertThat(s.getState().getWaiting().getMessage())
                  .isEqualTo("back-off 60000ms restarting failed container");
              assertThat(s.getRestartCount()).isEqualTo(2);
            });
  }

  private static ContainerStatus main() {
    Pod p = client.pods().inNamespace(NS).withName("victim").get();
    if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty()) {
      return new ContainerStatus();
    }
    return p.getStatus().getContainerStatuses().get(0);
  }

  private static boolean running(ContainerStatus s) {
    return s.getState() != null && s.getState().getRunning() != null;
  }
}
