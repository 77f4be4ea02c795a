package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes-backed registry against the fabric8 mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class KubernetesSessionRegistryIT {
  static KubernetesClient client;
  KubernetesSessionRegistry registry;
  final List<String> revoked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    create("previews", "existing", "Running");
    registry = KubernetesSessionRegistry.start(client, Set.of(), Duration.ofSeconds(10));
    registry.onRevoked(revoked::add);
  }

  @AfterEach
  void stop() {
    registry.close();
    client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inAnyNamespace()
        .delete();
  }

  @Test
  void sessionsListedAtStartAndCreatedLaterAreLiveAndUnknownOnesAreNot() {
    assertThat(registry.isLive(uid("previews", "existing"))).isTrue();
    GenericKubernetesResource later = create("team-b", "later", "Pending");
    await().atMost(Duration.ofSeconds(5)).until(() -> registry.isLive(uid(later)));
    assertThat(registry.isLive(UUID.randomUUID().toString())).isFalse();
    assertThat(revoked).isEmpty();
  }

  @Test
  void deletingASessionRevokesItWithinFiveSeconds() {
    String uid = uid("previews", "existing");
    client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inNamespace("previews")
        .withName("existing")
        .delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> revoked.contains(uid));
    assertThat(registry.isLive(uid)).isFalse();
    assertThat(revoked).containsExactly(uid);
  }

  @Test
  void anExpiredPhaseRevokesTheSessionOnce() {
    String uid = uid("previews", "existing");
    GenericKubernetesResource s = PreviewSessionObjects.get(client, "previews", "existing");
    s.setAdditionalProperty("status", Map.of("phase", "Expired"));
    client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inNamespace("previews")
        .resource(s)
        .update();
    await().atMost(Duration.ofSeconds(5)).until(() -> revoked.contains(uid));
    assertThat(registry.isLive(uid)).isFalse();
    // a later deletion of the already revoked session is not reported twice
    client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inNamespace("previews")
        .withName("existing")
        .delete();
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(revoked).containsExactly(uid);
  }

  @Test
  void aRegistryLimitedToNamespacesIgnoresOthers() {
    create("elsewhere", "outside", "Running");
    try (KubernetesSessionRegistry scoped =
        KubernetesSessionRegistry.start(client, Set.of("previews"), Duration.ofSeconds(10))) {
      assertThat(scoped.isLive(uid("previews", "existing"))).isTrue();
      assertThat(scoped.isLive(uid("elsewhere", "outside"))).isFalse();
    }
  }

  static GenericKubernetesResource create(String namespace, String name, String phase) {
    return PreviewSessionObjects.create(client, namespace, name, phase);
  }

  static String uid(String namespace, String name) {
    return uid(PreviewSessionObjects.get(client, namespace, name));
  }

  static String uid(GenericKubernetesResource r) {
    return PreviewSessionObjects.uid(r);
  }
}
