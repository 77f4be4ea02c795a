package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.crds.ConditionTypes;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The session controller against the mock API server, with hand-written snapshot, credential and
 * activity sources (the real ones are exercised by OperatorAppIT). The test plays the kubelet.
 */
class SessionControllerIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static MockCluster cluster;
  private static KubernetesClient client;
  private static SessionOperator operator;
  private static InMemorySnapshots snapshots;
  private static CountingCredentials credentials;
  private static ScriptedActivity activity;
  private static TestKubelet kubelet;
  private String NS;
  private UUID project;

  @BeforeAll
  static void startOperator() {
    cluster = new MockCluster();
    client = cluster.client;
    kubelet = new TestKubelet(client);
    snapshots = new InMemorySnapshots();
    activity = new ScriptedActivity();
    credentials = new CountingCredentials(Clock.systemUTC());
    operator =
        SessionOperator.start(
            client,
            new SessionOperatorParts(
                snapshots,
                credentials,
                activity,
                TestSessions.SETTINGS,
                new PrometheusRegistry(),
                Clock.systemUTC()),
            new SessionOperatorSettings(
                Set.of(), Optional.empty(), "test", false, Duration.ofSeconds(30), 10));
  }

  @AfterAll
  static void stop() {
    operator.close();
    cluster.close();
  }

  @BeforeEach
  void freshNamespaceAndProject(TestInfo test) {
    NS = "t" + Integer.toHexString(test.getDisplayName().hashCode() & 0xfffffff);
    project = UUID.randomUUID();
    snapshots.project(project, 42);
    activity.revision(project, 42);
  }

  private PreviewSession create(String name, Consumer<PreviewSessionSpec> edit) {
    PreviewSession session = TestSessions.session(name);
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    session.getSpec().setProjectId(project.toString());
    edit.accept(session.getSpec());
    return client.resource(session).create();
  }

  private PreviewSession get(String name) {
    return client.resources(PreviewSession.class).inNamespace(NS).withName(name).get();
  }

  private PreviewSession awaitPhase(String name, SessionPhase phase) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              PreviewSession s = get(name);
              return s.getStatus() != null && s.getStatus().getPhase() == phase;
            });
    return get(name);
  }

  private Pod awaitPod(String name) {
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).withName(name + "-preview").get() != null);
    return client.pods().inNamespace(NS).withName(name + "-preview").get();
  }

  private static Condition condition(PreviewSession session, String type) {
    return session.getStatus().condition(type).orElseThrow();
  }

  @Test
  void createsSnapshotSecretPodAndServiceThenRunsWhenTheKubeletReportsReady() {
    PreviewSession created = create("app", s -> {});

    Pod pod = awaitPod("app");
    PreviewSession starting = awaitPhase("app", SessionPhase.Starting);
    assertThat(starting.getStatus().getSnapshot().getRevision()).isEqualTo(42L);
    assertThat(starting.getStatus().getSnapshot().getKey())
        .isEqualTo("snapshots/" + project + "/42.zip");
    assertThat(starting.getStatus().getPodName()).isEqualTo("app-preview");
    assertThat(condition(starting, ConditionTypes.SNAPSHOT_READY).getStatus()).isEqualTo("True");
    assertThat(condition(starting, ConditionTypes.TOKEN_ISSUED).getStatus()).isEqualTo("True");

    // the pod is exactly what the builder makes for this session and snapshot
    Pod expected =
        new SessionPodBuilder(TestSessions.SETTINGS)
            .build(get("app"), SessionSnapshot.fromStatus(starting.getStatus().getSnapshot()));
    assertThat(pod.getSpec()).isEqualTo(expected.getSpec());
    assertThat(pod.getMetadata().getLabels()).isEqualTo(expected.getMetadata().getLabels());
    assertThat(pod.getMetadata().getAnnotations())
        .containsAllEntriesOf(expected.getMetadata().getAnnotations());
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    PodCredentialScan.assertNoCredentials(pod, get("app"), List.of("token-1", "signature=1"));

    Secret secret = client.secrets().inNamespace(NS).withName("app-session").get();
    assertThat(secret.getData()).containsOnlyKeys("token", "snapshot-url");
    Service service = client.services().inNamespace(NS).withName("app-preview").get();
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(3000));
    assertThat(service.getSpec().getSelector())
        .containsEntry("preview.velocity.dev/session", "app");

    kubelet.hydrating(pod);
    await()
        .atMost(WAIT)
        .until(
            () ->
                SessionReasons.HYDRATING.equals(
                    condition(get("app"), ConditionTypes.HYDRATED).getReason()));
    activity.ack(created.getMetadata().getUid(), 42);
    kubelet.ready(pod);
    PreviewSession running = awaitPhase("app", SessionPhase.Running);
    assertThat(running.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactlyElementsOf(ConditionTypes.ALL);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(get("app").getStatus().getConditions())
                    .allSatisfy(c -> assertThat(c.getStatus()).as(c.getType()).isEqualTo("True")));
    running = get("app");
    assertThat(running.getStatus().getReadyAt()).isNotNull();
    assertThat(running.getStatus().getStartedAt()).isNotNull();
    assertThat(running.getStatus().getUrl()).isEqualTo("http://app-preview." + NS + ".svc:3000");
    assertThat(running.getStatus().getSyncedRevision()).isEqualTo(42L);
    assertThat(running.getStatus().getObservedGeneration())
        .isEqualTo(running.getMetadata().getGeneration());
    assertThat(snapshots.calls(project)).isEqualTo(1);

    // events are posted off the reconcile thread: they follow the status, shortly
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
              assertThat(events)
                  .allSatisfy(
                      e ->
                          assertThat(e.getInvolvedObject().getUid())
                              .isEqualTo(created.getMetadata().getUid()));
              assertThat(events)
                  .extracting(Event::getReason)
                  .contains("Snapshotting", "Starting", "Running");
            });
  }

  @Test
  void statusChangesKeepThePodASpecChangeReplacesIt() {
    create("edit", s -> {});
    Pod first = awaitPod("edit");
    kubelet.ready(first);
    awaitPhase("edit", SessionPhase.Running);
    String firstUid =
        client.pods().inNamespace(NS).withName("edit-preview").get().getMetadata().getUid();

    PreviewSession session = get("edit");
    session.getSpec().setImage("node:23-alpine");
    client.resource(session).update();

    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod pod = client.pods().inNamespace(NS).withName("edit-preview").get();
              return pod != null && !pod.getMetadata().getUid().equals(firstUid);
            });
    Pod second = client.pods().inNamespace(NS).withName("edit-preview").get();
    assertThat(second.getSpec().getContainers().get(0).getImage()).isEqualTo("node:23-alpine");
    assertThat(
            second.getMetadata().getAnnotations().get(PreviewSessionResources.SPEC_HASH_ANNOTATION))
        .isNotEqualTo(
            first.getMetadata().getAnnotations().get(PreviewSessionResources.SPEC_HASH_ANNOTATION));
    assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(snapshots.calls(project)).as("the snapshot is reused from the status").isEqualTo(1);

    // the kubelet's status reports alone never replace the pod
    kubelet.hydrating(second);
    kubelet.ready(second);
    awaitPhase("edit", SessionPhase.Running);
    assertThat(client.pods().inNamespace(NS).withName("edit-preview").get().getMetadata().getUid())
        .isEqualTo(second.getMetadata().getUid());
  }

  @Test
  void secretIsCreatedOnceAndRotatedWhenAThirdOfItsLifeIsLeft() throws Exception {
    create("short-token", s -> {});
    Pod pod = awaitPod("short-token");
    Secret first = secret("short-token-session");
    String firstTokenId = tokenId(first);
    assertThat(firstTokenId).startsWith("jti-");

    // status reports trigger reconciliations; none of them may re-mint the token
    kubelet.hydrating(pod);
    kubelet.ready(pod);
    awaitPhase("short-token", SessionPhase.Running);
    assertThat(credentials.issued("short-token")).isEqualTo(1);
    assertThat(secret("short-token-session").getMetadata().getResourceVersion())
        .as("reconciling does not rewrite the Secret")
        .isEqualTo(first.getMetadata().getResourceVersion());

    // rotation is due 4 s after issue (two thirds of 6 s); the reconciler scheduled itself for it
    await().atMost(WAIT).until(() -> !firstTokenId.equals(tokenId(secret("short-token-session"))));
    Secret rotated = secret("short-token-session");
    assertThat(credentials.issued("short-token")).isEqualTo(2);
    assertThat(rotated.getMetadata().getUid())
        .as("the same Secret, updated in place")
        .isEqualTo(first.getMetadata().getUid());
    assertThat(rotated.getData().get("token")).isNotEqualTo(first.getData().get("token"));
    assertThat(CredentialRotation.rotateAt(rotated).orElseThrow())
        .isAfter(CredentialRotation.rotateAt(first).orElseThrow());
    assertThat(
            client
                .pods()
                .inNamespace(NS)
                .withName("short-token-preview")
                .get()
                .getMetadata()
                .getUid())
        .as("rotation does not replace the pod")
        .isEqualTo(pod.getMetadata().getUid());
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  private static String tokenId(Secret secret) {
    return secret.getMetadata().getAnnotations().get(PreviewSessionResources.TOKEN_ID_ANNOTATION);
  }

  @Test
  void ttlExpiryRemovesPodSecretAndServiceAndKeepsTheResource() {
    create("short", s -> s.setTtlSeconds(3L));
    Pod pod = awaitPod("short");
    kubelet.ready(pod);
    PreviewSession expired = awaitPhase("short", SessionPhase.Expired);
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.pods().inNamespace(NS).withName("short-preview").get() == null
                    && client.secrets().inNamespace(NS).withName("short-session").get() == null
                    && client.services().inNamespace(NS).withName("short-preview").get() == null);
    expired = get("short");
    assertThat(condition(expired, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.TTL_EXPIRED);
    assertThat(expired.getStatus().getUrl()).isNull();
    assertThat(expired.getStatus().getSnapshot()).isNotNull();
    assertThat(expired.getStatus().getMessage()).contains("time to live (3s)");
  }

  @Test
  void idleSessionsExpireWhenNothingIsEditedOrSynced() {
    PreviewSession created = create("idle", s -> s.setIdleTimeoutSeconds(2L));
    activity.ack(created.getMetadata().getUid(), 42);
    kubelet.ready(awaitPod("idle"));
    PreviewSession expired = awaitPhase("idle", SessionPhase.Expired);
    assertThat(condition(expired, ConditionTypes.READY).getReason())
        .isEqualTo(SessionReasons.IDLE_TIMEOUT);
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).withName("idle-preview").get() == null);
  }

  @Test
  void unknownProjectFailsOnceWithoutARetryStorm() throws Exception {
    UUID unknown = UUID.randomUUID();
    create("lost", s -> s.setProjectId(unknown.toString()));
    PreviewSession failed = awaitPhase("lost", SessionPhase.Failed);
    assertThat(condition(failed, ConditionTypes.SNAPSHOT_READY).getReason())
        .isEqualTo(SessionReasons.PROJECT_NOT_FOUND);
    assertThat(failed.getStatus().getMessage()).contains(unknown.toString());
    Thread.sleep(3000);
    assertThat(snapshots.calls(unknown)).as("a permanent failure is not retried").isEqualTo(1);
    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .filteredOn(e -> "Warning".equals(e.getType()))
        .extracting(Event::getReason)
        .contains(SessionReasons.PROJECT_NOT_FOUND);
  }

  @Test
  void transientFailuresAreRetriedWithBackoffUntilTheyClear() {
    UUID flaky = UUID.randomUUID();
    snapshots.project(flaky, 7).failTransiently(flaky, 2);
    activity.revision(flaky, 7);
    create("flaky", s -> s.setProjectId(flaky.toString()));
    PreviewSession pending = awaitPhase("flaky", SessionPhase.Pending);
    assertThat(condition(pending, ConditionTypes.SNAPSHOT_READY).getReason())
        .isEqualTo(SessionReasons.DATABASE_UNAVAILABLE);
    awaitPod("flaky");
    PreviewSession starting = awaitPhase("flaky", SessionPhase.Starting);
    assertThat(snapshots.calls(flaky)).isEqualTo(3);
    assertThat(condition(starting, ConditionTypes.SNAPSHOT_READY).getStatus()).isEqualTo("True");
  }

  @Test
  void hydrationFailureIsReportedWithTheAgentsLine() {
    create("broken", s -> {});
    kubelet.hydrationFailed(awaitPod("broken"), "snapshot sha256 mismatch");
    PreviewSession failed = awaitPhase("broken", SessionPhase.Failed);
    assertThat(condition(failed, ConditionTypes.HYDRATED).getReason())
        .isEqualTo(SessionReasons.HYDRATION_FAILED);
    assertThat(failed.getStatus().getMessage())
        .isEqualTo("hydrate: snapshot sha256 mismatch (exit code 2)");
  }

  @Test
  void portZeroHasNoService() {
    create("worker", s -> s.setPort(0));
    awaitPod("worker");
    awaitPhase("worker", SessionPhase.Starting);
    assertThat(client.services().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(get("worker").getStatus().getUrl()).isNull();
  }

  @Test
  void everyOwnedObjectIsControlledByTheSessionAndNothingElseIsCreated() {
    PreviewSession session = create("owned", s -> {});
    kubelet.ready(awaitPod("owned"));
    awaitPhase("owned", SessionPhase.Running);
    await()
        .atMost(WAIT)
        .until(() -> client.services().inNamespace(NS).withName("owned-preview").get() != null);

    List<HasMetadata> owned = new ArrayList<>();
    owned.addAll(client.pods().inNamespace(NS).list().getItems());
    owned.addAll(client.secrets().inNamespace(NS).list().getItems());
    owned.addAll(client.services().inNamespace(NS).list().getItems());
    owned.addAll(client.configMaps().inNamespace(NS).list().getItems());
    owned.addAll(client.persistentVolumeClaims().inNamespace(NS).list().getItems());
    assertThat(owned)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "Pod/owned-preview", "Secret/owned-session", "Service/owned-preview");
    assertThat(owned)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                        ref -> {
                          assertThat(ref.getUid()).isEqualTo(session.getMetadata().getUid());
                          assertThat(ref.getKind()).isEqualTo("PreviewSession");
                          assertThat(ref.getController()).isTrue();
                        }));

    // delete: Kubernetes' garbage collector removes owned objects; the mock server has none, so
    // the test does what it would, and checks the operator does not bring anything back
    client.resource(session).delete();
    await().atMost(WAIT).until(() -> get("owned") == null);
    owned.forEach(o -> client.resource(o).delete());
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(
            () ->
                client.pods().inNamespace(NS).list().getItems().isEmpty()
                    && client.secrets().inNamespace(NS).list().getItems().isEmpty()
                    && client.services().inNamespace(NS).list().getItems().isEmpty());
  }
}
