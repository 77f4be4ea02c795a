package dev.velocity.preview.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.crds.ConditionTypes;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.operator.reconciler.PodCredentialScan;
import dev.velocity.preview.operator.reconciler.SessionPodBuilder;
import dev.velocity.preview.operator.reconciler.SessionPodSettings;
import dev.velocity.preview.operator.reconciler.SessionReasons;
import dev.velocity.preview.operator.reconciler.SessionSnapshot;
import dev.velocity.preview.operator.reconciler.TestKubelet;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageConfig;
import dev.velocity.preview.protocol.ContentHash;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole operator process ({@link OperatorApp}) against real PostgreSQL, a real S3 server and
 * the mock API server; the test plays the kubelet and the sync agent (acks through the real gateway
 * with the session's own token).
 */
class OperatorAppIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static OperatorStack stack;
  private static KubernetesClient client;

  @BeforeAll
  static void startStack() throws Exception {
    stack = new OperatorStack();
    client = stack.cluster.client;
  }

  @AfterAll
  static void stopStack() throws Exception {
    stack.close();
  }

  private static PreviewSession create(String namespace, String name, UUID project) {
    PreviewSession session = new PreviewSession();
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    PreviewSessionSpec spec = new PreviewSessionSpec();
    spec.setProjectId(project.toString());
    spec.setImage("node:22-alpine");
    spec.setCommand(List.of("npm", "run", "dev"));
    session.setSpec(spec);
    return client.resource(session).create();
  }

  private static PreviewSession get(String namespace, String name) {
    return client.resources(PreviewSession.class).inNamespace(namespace).withName(name).get();
  }

  private static PreviewSession awaitPhase(String namespace, String name, SessionPhase phase) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              PreviewSession s = get(namespace, name);
              return s != null && s.getStatus() != null && s.getStatus().getPhase() == phase;
            });
    return get(namespace, name);
  }

  private static Condition condition(PreviewSession session, String type) {
    return session.getStatus().condition(type).orElseThrow();
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> ack(
      int gatewayPort, UUID project, String token, long revision) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + "/v1/projects/" + project + "/acks"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":" + revision + "}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSessionRunsWithARealSnapshotTokenAndAcks() throws Exception {
    UUID project =
        stack.newProject(
            Map.of(
                "index.html", "<h1>hi</h1>", "src/app.js", "console.log(1)", "package.json", "{}"));
    long revision = stack.revision(project);
    try (OperatorStack.RunningOperator app = stack.start(Map.of());
        ObjectStore store = new ObjectStore(StorageConfig.fromEnv(stack.env()))) {
      String ns = "e2e-run";
      PreviewSession created = create(ns, "demo", project);

      PreviewSession starting = awaitPhase(ns, "demo", SessionPhase.Starting);
      var snapshot = starting.getStatus().getSnapshot();
      assertThat(snapshot.getRevision()).isEqualTo(revision);
      assertThat(snapshot.getKey()).isEqualTo("snapshots/" + project + "/" + revision + ".zip");
      assertThat(snapshot.getFiles()).isEqualTo(3L);
      assertThat(store.exists(snapshot.getKey())).isTrue();

      // the Secret: a presigned URL that serves exactly the snapshot, and a token the gateway takes
      Secret secret = client.secrets().inNamespace(ns).withName("demo-session").get();
      String url = decode(secret, "snapshot-url");
      HttpResponse<byte[]> zip =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(zip.statusCode()).isEqualTo(200);
      assertThat(ContentHash.sha256Hex(zip.body())).isEqualTo(snapshot.getSha256());
      String token = decode(secret, "token");

      // the pod: exactly the builder's, and no credential of the operator anywhere in it
      Pod pod = client.pods().inNamespace(ns).withName("demo-preview").get();
      Pod expected =
          new SessionPodBuilder(
                  new SessionPodSettings(
                      stack.env().get("AGENT_IMAGE"),
                      stack.env().get("GATEWAY_PUBLIC_URL"),
                      SessionPodSettings.DEFAULT_UID))
              .build(get(ns, "demo"), SessionSnapshot.fromStatus(snapshot));
      assertThat(pod.getSpec()).isEqualTo(expected.getSpec());
      List<String> secrets = new ArrayList<>(stack.credentials());
      secrets.add(token);
      secrets.add(url);
      PodCredentialScan.assertNoCredentials(pod, created, secrets);

      int gateway = app.app().gatewayPort().orElseThrow();
      assertThat(ack(gateway, UUID.randomUUID(), token, 1).statusCode())
          .as("token of another project")
          .isEqualTo(403);

      TestKubelet kubelet = new TestKubelet(client);
      kubelet.hydrating(pod);
      kubelet.ready(pod);
      assertThat(ack(gateway, project, token, revision).statusCode()).isEqualTo(200);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                PreviewSession s = get(ns, "demo");
                assertThat(s.getStatus().getPhase()).isEqualTo(SessionPhase.Running);
                assertThat(s.getStatus().getConditions())
                    .allSatisfy(c -> assertThat(c.getStatus()).as(c.getType()).isEqualTo("True"));
                assertThat(s.getStatus().getSyncedRevision()).isEqualTo(revision);
              });

      // an edit: the session falls behind until the agent acknowledges the new revision
      stack.write(project, Map.of("index.html", "<h1>hello</h1>"));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  SessionReasons.CATCHING_UP.equals(
                      condition(get(ns, "demo"), ConditionTypes.SYNCED).getReason()));
      assertThat(ack(gateway, project, token, revision + 1).statusCode()).isEqualTo(200);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  Long.valueOf(revision + 1)
                      .equals(get(ns, "demo").getStatus().getSyncedRevision()));
      assertThat(condition(get(ns, "demo"), ConditionTypes.SYNCED).getStatus()).isEqualTo("True");

      String metrics = get("http://127.0.0.1:" + app.app().metricsPort() + "/metrics").body();
      assertThat(metrics)
          .contains("preview_session_start_seconds_count 1")
          .contains("preview_session_pod_create_seconds_count 1")
          .contains("preview_tokens_minted_total")
          .contains("preview_session_snapshots_total{outcome=\"built\"} 1")
          .contains("operator_sdk_reconciliations_started_total")
          .contains("jvm_memory_used_bytes");
      assertThat(get("http://127.0.0.1:" + app.app().metricsPort() + "/healthz").statusCode())
          .isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + app.app().metricsPort() + "/readyz").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void theDatabaseGoingDownAndComingBackDelaysButDoesNotBreakASession() throws Exception {
    UUID project = stack.newProject(Map.of("a.txt", "a"));
    try (OperatorStack.RunningOperator app = stack.start(Map.of())) {
      String ns = "e2e-db";
      stack.databaseProxy.cut();
      try {
        create(ns, "patient", project);
        PreviewSession pending = awaitPhase(ns, "patient", SessionPhase.Pending);
        assertThat(condition(pending, ConditionTypes.SNAPSHOT_READY).getReason())
            .isEqualTo(SessionReasons.DATABASE_UNAVAILABLE);
        assertThat(pending.getStatus().getMessage()).contains("(retrying)");
      } finally {
        stack.databaseProxy.restore();
      }
      PreviewSession starting = awaitPhase(ns, "patient", SessionPhase.Starting);
      assertThat(condition(starting, ConditionTypes.SNAPSHOT_READY).getStatus()).isEqualTo("True");
      assertThat(client.pods().inNamespace(ns).withName("patient-preview").get()).isNotNull();
    }
  }

  @Test
  void anOperatorRestartedMidReconcileConvergesWithoutDuplicates() throws Exception {
    UUID first = stack.newProject(Map.of("one.txt", "1"));
    UUID second = stack.newProject(Map.of("two.txt", "2", "three.txt", "3"));
    String ns = "e2e-restart";
    try (OperatorStack.RunningOperator app = stack.start(Map.of())) {
      for (int i = 0; i < 6; i++) {
        create(ns, "s" + i, i % 2 == 0 ? first : second);
      }
      await().atMost(WAIT).until(() -> !client.pods().inNamespace(ns).list().getItems().isEmpty());
    }
    try (OperatorStack.RunningOperator restarted = stack.start(Map.of());
        ObjectStore store = new ObjectStore(StorageConfig.fromEnv(stack.env()))) {
      for (int i = 0; i < 6; i++) {
        awaitPhase(ns, "s" + i, SessionPhase.Starting);
      }
      assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(6);
      assertThat(client.secrets().inNamespace(ns).list().getItems()).hasSize(6);
      for (UUID project : List.of(first, second)) {
        assertThat(store.list("snapshots/" + project + "/"))
            .as("one zip and one manifest for the project's one revision")
            .hasSize(2);
      }
      for (int i = 2; i < 6; i++) {
        assertThat(get(ns, "s" + i).getStatus().getSnapshot().getKey())
            .isEqualTo(get(ns, "s" + (i % 2)).getStatus().getSnapshot().getKey());
      }
    }
  }
}
