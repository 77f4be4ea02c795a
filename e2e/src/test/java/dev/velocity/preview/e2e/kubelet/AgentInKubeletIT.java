package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.velocity.preview.e2e.check.WorkspaceDiff;
import dev.velocity.preview.e2e.cluster.MockApiServer;
import dev.velocity.preview.e2e.db.CurrentFile;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.e2e.demo.DemoApp;
import dev.velocity.preview.e2e.support.TestZips;
import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.realtime.GatewayServer;
import dev.velocity.preview.operator.realtime.InMemorySessionRegistry;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMinter;
import dev.velocity.preview.operator.token.TokenVerifier;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.TestDatabase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent jar (hydrate + sync) run by the process kubelet against the real gateway and
 * PostgreSQL, with a pod shaped like a session pod: proves the kubelet's env, volume, port and
 * Secret-refresh mapping is what the agent needs, before the operator is in the loop.
 */
class AgentInKubeletIT {
  private static final String NS = "agent-it";
  private static final String AGENT_IMAGE = "preview-agent:it";
  @TempDir static Path root;
  private static TestDatabase db;
  private static HikariDataSource gatewayPool;
  private static GatewayServer gateway;
  private static HttpServer snapshots;
  private static MockApiServer api;
  private static KubernetesClient client;
  private static ProcessKubelet kubelet;
  private static ProjectFiles files;
  private static TokenMinter minter;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    Migrations.migrate(db.superuserDataSource());
    db.createLoginRole("agent_it_gateway", "gw-secret", "preview_operator");
    db.createLoginRole("agent_it_app", "app-secret", "authenticated");
    files = new ProjectFiles(db.superuserDataSource(), db.dataSource("agent_it_app", "app-secret"));
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(db.jdbcUrl());
    hc.setUsername("agent_it_gateway");
    hc.setPassword("gw-secret");
    hc.setMaximumPoolSize(6);
    gatewayPool = new HikariDataSource(hc);
    TokenConfig tokens = TokenConfig.generated();
    TokenKeys keys = TokenKeys.generate(TokenConfig.GENERATED_KEY_ID);
    minter = new TokenMinter(tokens, keys);
    gateway =
        GatewayServer.builder(
                GatewayConfig.defaults(), gatewayPool, new TokenVerifier(tokens, keys))
            .sessions(new InMemorySessionRegistry())
            .build();
    gateway.start();
    snapshots = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    snapshots.start();
    api = MockApiServer.start();
    client = api.newClient(NS);
    Path agentJar =
        Path.of(System.getProperty("preview.agent.jar", "../agent/target/preview-agent.jar"));
    assertThat(agentJar).exists();
    kubelet =
        ProcessKubelet.start(
            client,
            KubeletConfig.defaults(
                root, ImageTable.defaults(AGENT_IMAGE, agentJar.toAbsolutePath())));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    client.close();
    api.close();
    snapshots.stop(0);
    gateway.close();
    gatewayPool.close();
    db.close();
  }

  @Test
  void hydratesSyncsEditsAndFollowsATokenRotation() throws Exception {
    UUID user = files.createUser();
    UUID project = files.createProject(user, "agent-it");
    files.bulk(user, project, DemoApp.files(120, 1));
    long revision = files.revision(project);
    Map<String, CurrentFile> atSnapshot = files.listCurrentFiles(user, project);
    byte[] zip = TestZips.zip(atSnapshot);
    snapshots.createContext(
        "/" + project + ".zip",
        ex -> {
          ex.sendResponseHeaders(200, zip.length);
          ex.getResponseBody().write(zip);
          ex.close();
        });
    String sessionUid = UUID.randomUUID().toString();
    String url = "http://127.0.0.1:" + snapshots.getAddress().getPort() + "/" + project + ".zip";
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s1")
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("token", minter.mint(sessionUid, NS, "s1", project).token())
                .addToStringData("snapshot-url", url)
                .build())
        .create();
    client.resource(sessionPod("s1", project, revision, ContentHash.sha256Hex(zip))).create();

    await().atMost(Duration.ofSeconds(30)).until(() -> ready("s1"));
    RunningPod pod = kubelet.pod(NS, "s1").orElseThrow();
    Path workspace = pod.volume("workspace");
    assertThat(WorkspaceDiff.compare(workspace, atSnapshot).isEmpty()).isTrue();
    assertThat(Files.readString(pod.volume("state").resolve("state.json")))
        .contains(project.toString());

    files.upsert(user, project, "index.html", DemoApp.indexHtml("edited"), "html");
    files.delete(user, project, "README.md");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        WorkspaceDiff.compare(workspace, files.listCurrentFiles(user, project))
                            .isEmpty())
                    .isTrue());
    int port = pod.hostPort(3000).orElseThrow();
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("<p id=\"stamp\">edited</p>");

    String rotated = minter.mint(sessionUid, NS, "s1", project).token();
    client
        .secrets()
        .inNamespace(NS)
        .withName("s1")
        .edit(s -> new SecretBuilder(s).addToStringData("token", rotated).build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(pod.volume("token").resolve("token")).equals(rotated));
    kubelet.killContainer(NS, "s1", "sync");
    files.upsert(user, project, "src/App.tsx", "export const after = 'restart';\n", "typescript");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        WorkspaceDiff.compare(workspace, files.listCurrentFiles(user, project))
                            .isEmpty())
                    .isTrue());
    assertThat(
            client.pods().inNamespace(NS).withName("s1").get().getStatus().getContainerStatuses())
        .filteredOn(s -> s.getName().equals("sync"))
        .singleElement()
        .satisfies(s -> assertThat(s.getRestartCount()).isEqualTo(1));
  }

  private static boolean ready(String name) {
    Pod p = client.pods().inNamespace(NS).withName(name).get();
    return p != null
        && p.getStatus() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static Pod sessionPod(String name, UUID project, long revision, String sha256) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .addNewVolume()
        .withName("workspace")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("state")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("token")
        .withNewSecret()
        .withSecretName(name)
        .addNewItem()
        .withKey("token")
        .withPath("token")
        .endItem()
        .endSecret()
        .endVolume()
        .addNewInitContainer()
        .withName("hydrate")
        .withImage(AGENT_IMAGE)
        .withArgs("hydrate")
        .addNewEnv()
        .withName("SNAPSHOT_URL")
        .withNewValueFrom()
        .withNewSecretKeyRef("snapshot-url", name, false)
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("SNAPSHOT_SHA256")
        .withValue(sha256)
        .endEnv()
        .addNewEnv()
        .withName("SNAPSHOT_REVISION")
        .withValue(Long.toString(revision))
        .endEnv()
        .addNewEnv()
        .withName("PROJECT_ID")
        .withValue(project.toString())
        .endEnv()
        .addNewVolumeMount()
        .withName("workspace")
        .withMountPath("/workspace")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("state")
        .withMountPath("/var/lib/preview")
        .endVolumeMount()
        .endInitContainer()
        .addNewContainer()
        .withName("dev-server")
        .withImage("node:20-alpine")
        .withCommand("npm", "run", "dev")
        .withWorkingDir("/workspace")
        .addNewPort()
        .withName("http")
        .withContainerPort(3000)
        .endPort()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/")
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(2)
        .endReadinessProbe()
        .addNewVolumeMount()
        .withName("workspace")
        .withMountPath("/workspace")
        .endVolumeMount()
        .endContainer()
        .addNewContainer()
        .withName("sync")
        .withImage(AGENT_IMAGE)
        .withArgs("sync")
        .addNewEnv()
        .withName("REALTIME_URL")
        .withValue("http://127.0.0.1:" + gateway.port())
        .endEnv()
        .addNewEnv()
        .withName("PROJECT_ID")
        .withValue(project.toString())
        .endEnv()
        .addNewPort()
        .withName("health")
        .withContainerPort(8081)
        .endPort()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/readyz")
        .withNewPort("health")
        .endHttpGet()
        .withPeriodSeconds(2)
        .endReadinessProbe()
        .addNewVolumeMount()
        .withName("workspace")
        .withMountPath("/workspace")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("state")
        .withMountPath("/var/lib/preview")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("token")
        .withMountPath("/var/run/preview")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .endSpec()
        .build();
  }
}
