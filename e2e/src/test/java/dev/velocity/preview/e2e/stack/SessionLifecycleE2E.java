package dev.velocity.preview.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.crds.PreviewSessionSpec;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.e2e.check.WorkspaceDiff;
import dev.velocity.preview.e2e.db.CurrentFile;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.demo.DemoApp;
import dev.velocity.preview.e2e.session.Sessions;
import dev.velocity.preview.e2e.support.StackFixture;
import dev.velocity.preview.e2e.support.StackFixture.Project;
import dev.velocity.preview.e2e.support.StackFixture.Session;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One session's whole life on the local stack: hydration, edits, credentials, delete, expiry. */
class SessionLifecycleE2E {
  private static StackFixture f;

  @BeforeAll
  static void start() {
    f = StackFixture.in("lifecycle");
  }

  @AfterAll
  static void stop() {
    f.deleteAllSessions();
  }

  @Test
  void hydratesTheWorkspaceToExactlyTheSnapshotRevision() throws Exception {
    List<FileChangeRequest> content = new ArrayList<>(DemoApp.files(300, 3));
    content.add(
        FileChangeRequest.upsert("docs/naïve café ünïcödé.md", "markdown", "# ✓ ünïcödé\n"));
    content.add(FileChangeRequest.upsert("a/b/c/d/e/f/g/h/i/j/deep.txt", "text", "deep\n"));
    content.add(FileChangeRequest.upsert("empty.txt", "text", ""));
    content.add(FileChangeRequest.upsert("with space/and.dots.v2.json", "json", "{}\n"));
    Project project = f.project("hydration", content);
    long revision = f.files.revision(project.id());

    Session s = f.runningSession("hydration", project);

    assertThat(s.resource().getStatus().getSnapshot().getRevision()).isEqualTo(revision);
    Map<String, CurrentFile> atRevision = f.files.listCurrentFiles(project.owner(), project.id());
    WorkspaceDiff diff = WorkspaceDiff.compare(s.workspace(), atRevision);
    assertThat(diff.isEmpty()).as(diff.toString()).isTrue();
    assertThat(diff.files()).isEqualTo(content.size());
    for (CurrentFile file : atRevision.values()) {
      assertThat(Files.readString(s.workspace().resolve(file.path()))).isEqualTo(file.content());
    }
    Path state = s.pod().hostPath("sync", "/var/lib/preview").orElseThrow().resolve("state.json");
    assertThat(Files.readString(state))
        .contains(project.id().toString())
        .contains(Long.toString(revision));
  }

  @Test
  void editsDeletesAndA500FileBulkReachTheWorkspaceAndThePage() throws Exception {
    Project project = f.project("edits", DemoApp.files(100, 4));
    Session s = f.runningSession("edits", project);

    f.files.upsert(
        project.owner(), project.id(), "index.html", DemoApp.indexHtml("edited once"), "html");
    f.files.delete(project.owner(), project.id(), "README.md");
    List<FileChangeRequest> bulk = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      bulk.add(
          FileChangeRequest.upsert(
              "generated/module" + i + ".ts", "typescript", "export const n = " + i + ";\n"));
    }
    f.files.bulk(project.owner(), project.id(), bulk);

    f.awaitConverged(s, project, Duration.ofSeconds(30));
    assertThat(StackFixture.get(s, "index.html").body())
        .contains("<p id=\"stamp\">edited once</p>");
    assertThat(StackFixture.get(s, "README.md").statusCode()).isEqualTo(404);
    assertThat(StackFixture.get(s, "generated/module499.ts").body())
        .isEqualTo("export const n = 499;\n");
  }

  @Test
  void thePodTheKubeletRunsHoldsNoDatabaseOrStorageCredential() {
    Project project = f.project("credentials", DemoApp.files(20, 5));
    Session s = f.runningSession("credentials", project);
    Map<String, String> env = f.stack.env(0);
    Pod admitted = s.pod().pod();
    String podJson = Serialization.asJson(admitted);
    Secret secret =
        f.stack
            .client()
            .secrets()
            .inNamespace(f.ns)
            .withName(
                admitted.getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null)
                    .findFirst()
                    .orElseThrow()
                    .getSecret()
                    .getSecretName())
            .get();
    String secretJson = Serialization.asJson(secret) + decoded(secret);

    for (String forbidden :
        List.of(
            env.get("DATABASE_PASSWORD"),
            env.get("DATABASE_USER"),
            env.get("DATABASE_URL"),
            env.get("S3_SECRET_KEY"),
            "DATABASE_",
            "S3_SECRET",
            "S3_ACCESS",
            "jdbc:",
            "postgres")) {
      assertThat(podJson).as("pod spec must not contain %s", forbidden).doesNotContain(forbidden);
      assertThat(secretJson)
          .as("session Secret must not contain %s", forbidden)
          .doesNotContain(forbidden);
    }
    // the access key id appears only inside the presigned URL's signature parameters
    assertThat(podJson).doesNotContain(env.get("S3_ACCESS_KEY"));
    assertThat(admitted.getSpec().getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void deletingTheSessionKillsItsProcessesAndClosesItsStreams() throws Exception {
    Project project = f.project("delete", DemoApp.files(20, 6));
    Session s = f.runningSession("delete", project);
    List<ProcessHandle> processes =
        f.stack.kubelet().processes(f.ns, s.pod().pod().getMetadata().getName());
    assertThat(processes).isNotEmpty().allMatch(ProcessHandle::isAlive);
    double streamsBefore = streamsOpen();
    assertThat(streamsBefore).isGreaterThanOrEqualTo(1);

    f.sessions.delete("delete");

    f.stack
        .kubelet()
        .awaitGone(f.ns, s.pod().pod().getMetadata().getName(), Duration.ofSeconds(30));
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(s.pod().layout().root()).doesNotExist();
    assertThat(
            f.stack
                .client()
                .pods()
                .inNamespace(f.ns)
                .withName(s.pod().pod().getMetadata().getName())
                .get())
        .isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen() <= streamsBefore - 1);
  }

  @Test
  void aSessionPastItsTtlExpiresAndItsPodIsRemoved() {
    Project project = f.project("expiry", DemoApp.files(20, 7));
    PreviewSessionSpec spec = Sessions.spec(project.id());
    spec.setTtlSeconds(8L);
    Session s = f.runningSession("expiry", spec);

    f.sessions.awaitPhase("expiry", SessionPhase.Expired, Duration.ofSeconds(40));
    f.stack
        .kubelet()
        .awaitGone(f.ns, s.pod().pod().getMetadata().getName(), Duration.ofSeconds(30));
    assertThat(f.sessions.get("expiry")).isPresent();
  }

  private static String decoded(Secret secret) {
    StringBuilder sb = new StringBuilder();
    if (secret.getData() != null) {
      secret
          .getData()
          .values()
          .forEach(v -> sb.append(new String(java.util.Base64.getDecoder().decode(v))));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().values().forEach(sb::append);
    }
    return sb.toString();
  }

  private static double streamsOpen() throws Exception {
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(f.stack.gatewayUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    return metrics
        .body()
        .lines()
        .filter(l -> l.startsWith("preview_gateway_streams_open"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
