package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Revocation for the gateway: deleting or expiring a session revokes it within seconds. */
class KubernetesSessionRegistryIT {

  @Test
  void sessionsAreLiveUntilDeletedOrExpired() {
    try (MockCluster cluster = new MockCluster()) {
      var client = cluster.client;
      PreviewSession a = create(cluster, "a");
      PreviewSession b = create(cluster, "b");
      try (KubernetesSessionRegistry registry =
          new KubernetesSessionRegistry(client, Set.of("apps"))) {
        List<String> revoked = new CopyOnWriteArrayList<>();
        registry.onRevoked(revoked::add);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> registry.isLive(a.getMetadata().getUid()));
        assertThat(registry.isLive(b.getMetadata().getUid())).isTrue();
        assertThat(registry.isLive("no-such-session")).isFalse();

        client.resource(a).delete();
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> revoked.contains(a.getMetadata().getUid()));
        assertThat(registry.isLive(a.getMetadata().getUid())).isFalse();

        PreviewSessionStatus expired = new PreviewSessionStatus();
        expired.setPhase(SessionPhase.Expired);
        b.setStatus(expired);
        client.resource(b).updateStatus();
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> revoked.contains(b.getMetadata().getUid()));
        assertThat(registry.isLive(b.getMetadata().getUid())).isFalse();
        assertThat(revoked).hasSize(2);
      }
    }
  }

  private static PreviewSession create(MockCluster cluster, String name) {
    PreviewSession session = TestSessions.session(name);
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("apps").build());
    return cluster.client.resource(session).create();
  }
}
