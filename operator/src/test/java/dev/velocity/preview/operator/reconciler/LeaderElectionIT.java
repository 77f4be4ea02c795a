package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two replicas on one Lease: one reconciles; when it stops, the other takes over. */
class LeaderElectionIT {

  private static SessionOperator replica(
      MockCluster cluster, InMemorySnapshots snapshots, String identity) {
    return SessionOperator.start(
        cluster.newClient(),
        new SessionOperatorParts(
            snapshots,
            new CountingCredentials(Clock.systemUTC()),
            new ScriptedActivity(),
            TestSessions.SETTINGS,
            new PrometheusRegistry(),
            Clock.systemUTC()),
        new SessionOperatorSettings(
            Set.of(), Optional.of("ops"), identity, false, Duration.ofSeconds(30), 4));
  }

  @Test
  void oneReplicaLeadsAndTheOtherTakesOver() {
    try (MockCluster cluster = new MockCluster()) {
      UUID project = UUID.randomUUID();
      InMemorySnapshots snapshots = new InMemorySnapshots().project(project, 3);
      SessionOperator first = replica(cluster, snapshots, "replica-1");
      SessionOperator second = replica(cluster, snapshots, "replica-2");
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> first.isLeader() || second.isLeader());
        assertThat(first.isLeader() && second.isLeader()).as("never two leaders").isFalse();
        SessionOperator leader = first.isLeader() ? first : second;
        SessionOperator follower = leader == first ? second : first;
        Lease lease =
            cluster
                .client
                .leases()
                .inNamespace("ops")
                .withName(SessionOperatorSettings.LEASE_NAME)
                .get();
        assertThat(lease.getSpec().getHolderIdentity())
            .isEqualTo(leader == first ? "replica-1" : "replica-2");

        PreviewSession session = TestSessions.session("led");
        session.setMetadata(new ObjectMetaBuilder().withName("led").withNamespace("apps").build());
        session.getSpec().setProjectId(project.toString());
        cluster.client.resource(session).create();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    cluster.client.pods().inNamespace("apps").withName("led-preview").get()
                        != null);
        assertThat(snapshots.calls(project)).isEqualTo(1);

        leader.close();
        await().atMost(Duration.ofSeconds(40)).until(follower::isLeader);
        PreviewSession second2 = TestSessions.session("after");
        second2.setMetadata(
            new ObjectMetaBuilder().withName("after").withNamespace("apps").build());
        second2.getSpec().setProjectId(project.toString());
        cluster.client.resource(second2).create();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    cluster.client.pods().inNamespace("apps").withName("after-preview").get()
                        != null);
      } finally {
        first.close();
        second.close();
      }
    }
  }
}
