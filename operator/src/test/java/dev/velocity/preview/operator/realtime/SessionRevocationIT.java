package dev.velocity.preview.operator.realtime;

import static dev.velocity.preview.operator.realtime.AuthErrorsIT.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a PreviewSession (or expiring it) closes its open streams within 5 s although its token
 * is still valid, and refuses new ones; other sessions' streams go on.
 */
@EnableKubernetesMockClient(crud = true)
class SessionRevocationIT {
  static KubernetesClient client;
  static KubernetesSessionRegistry registry;
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    registry = KubernetesSessionRegistry.start(client, Set.of(), Duration.ofSeconds(10));
    gw =
        GatewayFixture.start(
            GatewayConfig.fromEnv(Map.of("GATEWAY_PORT", "0")), b -> b.sessions(registry));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    registry.close();
  }

  @Test
  void deletingTheSessionClosesItsStreamsWithinFiveSeconds() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "a.ts", "a");
    String doomed = sessionObject("doomed");
    String other = sessionObject("other");
    String doomedToken = gw.minter.mint(doomed, "previews", "doomed", project).token();
    String otherToken = gw.minter.mint(other, "previews", "other", project).token();
    try (SseClient first = SseClient.open(gw.events(project), doomedToken, "0");
        SseClient second = SseClient.open(gw.events(project), doomedToken, "0");
        SseClient bystander = SseClient.open(gw.events(project), otherToken, "0")) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.next(Duration.ofSeconds(10)).revision()).isEqualTo(1);
      assertThat(second.next(Duration.ofSeconds(10)).revision()).isEqualTo(1);
      assertThat(bystander.next(Duration.ofSeconds(10)).revision()).isEqualTo(1);

      long deletedAt = System.nanoTime();
      PreviewSessionObjects.delete(client, "previews", "doomed");
      assertThat(first.awaitEnd(Duration.ofSeconds(5))).isTrue();
      assertThat(second.awaitEnd(Duration.ofSeconds(5))).isTrue();
      assertThat((System.nanoTime() - deletedAt) / 1_000_000).isLessThan(5_000);
      assertThat(first.comments()).contains("session revoked");

      // the token still verifies, but the session is gone
      try (SseClient again = SseClient.open(gw.events(project), doomedToken, "1")) {
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.errorBody())
            .isEqualTo(body("unauthorized", "session previews/doomed is no longer active"));
      }
      // the other session's stream is untouched
      assertThat(bystander.awaitEnd(Duration.ofMillis(200))).isFalse();
      long r = gw.write(project, "b.ts", "b");
      assertThat(bystander.next(Duration.ofSeconds(10)).revision()).isEqualTo(r);
    }
  }

  private static String sessionObject(String name) {
    GenericKubernetesResource created =
        PreviewSessionObjects.create(client, "previews", name, "Running");
    String uid = created.getMetadata().getUid();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.isLive(uid));
    return uid;
  }
}
