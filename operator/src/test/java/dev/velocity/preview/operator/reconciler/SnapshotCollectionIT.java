package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.crds.SnapshotStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Periodic snapshot GC: which keys it keeps, and that only the leader collects. */
class SnapshotCollectionIT {

  private static MockCluster cluster;

  @BeforeAll
  static void sessions() {
    cluster = new MockCluster();
    session("team-a", "live", SessionPhase.Running, "snapshots/p1/4.zip");
    session("team-b", "failed", SessionPhase.Failed, "snapshots/p2/9.zip");
    session("team-b", "gone", SessionPhase.Expired, "snapshots/p3/1.zip");
    session("team-c", "new", null, null);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void session(String namespace, String name, SessionPhase phase, String key) {
    PreviewSession session = TestSessions.session(name);
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    PreviewSession created = cluster.client.resource(session).create();
    if (phase != null) {
      PreviewSessionStatus status = new PreviewSessionStatus();
      status.setPhase(phase);
      status.setSnapshot(new SnapshotStatus(1L, key, "ab", 1L, 1L));
      created.setStatus(status);
      cluster.client.resource(created).updateStatus();
    }
  }

  @Test
  void keepsTheSnapshotsOfEverySessionThatHasNotExpired() {
    List<Set<String>> calls = new ArrayList<>();
    new SnapshotCollection(
            cluster.client,
            Set.of(),
            (retention, keys) -> {
              assertThat(retention).isEqualTo(Duration.ofDays(7));
              calls.add(keys);
              return List.of("snapshots/p3/1.zip");
            },
            Duration.ofDays(7),
            () -> true)
        .run();
    assertThat(calls).containsExactly(Set.of("snapshots/p1/4.zip", "snapshots/p2/9.zip"));
  }

  @Test
  void watchedNamespacesOnly() {
    var collection =
        new SnapshotCollection(
            cluster.client, Set.of("team-a"), (r, k) -> List.of(), Duration.ofDays(1), () -> true);
    assertThat(collection.referencedKeys()).containsExactly("snapshots/p1/4.zip");
  }

  @Test
  void followersDoNotCollectAndFailuresDoNotEscape() {
    AtomicBoolean called = new AtomicBoolean();
    new SnapshotCollection(
            cluster.client,
            Set.of(),
            (r, k) -> {
              called.set(true);
              return List.of();
            },
            Duration.ofDays(1),
            () -> false)
        .run();
    assertThat(called).isFalse();
    new SnapshotCollection(
            cluster.client,
            Set.of(),
            (r, k) -> {
              throw new IllegalStateException("storage down");
            },
            Duration.ofDays(1),
            () -> true)
        .run();
  }
}
