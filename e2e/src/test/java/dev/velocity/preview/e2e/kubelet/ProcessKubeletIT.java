package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.e2e.cluster.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process kubelet against the mock API server, with plain {@code sh} pods. */
class ProcessKubeletIT {
  private static final String NS = "kubelet-it";
  @TempDir static Path root;
  private static MockApiServer api;
  private static KubernetesClient client;
  private static ProcessKubelet kubelet;

  @BeforeAll
  static void start() {
    api = MockApiServer.start();
    client = api.newClient(NS);
    ImageTable images = ImageTable.defaults("example.com/preview-agent:*", Path.of("agent.jar"));
    KubeletConfig config =
        KubeletConfig.defaults(root, images)
            .withRestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
    kubelet = ProcessKubelet.start(client, config);
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    client.close();
    api.close();
  }

  @Test
  void runsInitContainersThenContainersAndReportsReady() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("basic")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("work")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewInitContainer()
            .withName("first")
            .withImage("busybox:1.36")
            .withCommand("sh", "-c", "echo one > /work/order")
            .addNewVolumeMount()
            .withName("work")
            .withMountPath("/work")
            .endVolumeMount()
            .endInitContainer()
            .addNewInitContainer()
            .withName("second")
            .withImage("busybox:1.36")
            .withCommand("sh", "-c", "test -f /work/order && echo two >> /work/order")
            .addNewVolumeMount()
            .withName("work")
            .withMountPath("/work")
            .endVolumeMount()
            .endInitContainer()
            .addNewContainer()
            .withName("main")
            .withImage("busybox:1.36")
            .withCommand("sh", "-c", "echo main >> /work/order; exec sleep 600")
            .addNewVolumeMount()
            .withName("work")
            .withMountPath("/work")
            .endVolumeMount()
            .withNewReadinessProbe()
            .withNewExec()
            .withCommand("sh", "-c", "grep -q main /work/order")
            .endExec()
            .endReadinessProbe()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();

    Pod running = awaitReady("basic");
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");
    assertThat(running.getStatus().getPodIP()).isEqualTo("127.0.0.1");
    assertThat(condition(running, "Initialized")).isEqualTo("True");
    assertThat(condition(running, "ContainersReady")).isEqualTo("True");
    assertThat(running.getStatus().getInitContainerStatuses())
        .extracting(s -> s.getState().getTerminated().getReason())
        .containsExactly("Completed", "Completed");
    RunningPod local = kubelet.pod(NS, "basic").orElseThrow();
    assertThat(Files.exists(local.volume("work").resolve("order"))).isTrue();
    eventually()
        .untilAsserted(
            () ->
                assertThat(Files.readAllLines(local.volume("work").resolve("order")))
                    .containsExactly("one", "two", "main"));
  }

  @Test
  void resolvesEnvFromSecretsConfigMapsFieldsAndVariables() throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace(NS)
                .endMetadata()
                .addToData("password", "czNjcjN0")
                .build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace(NS)
                .endMetadata()
                .addToData("mode", "fast")
                .build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("env")
            .withNamespace(NS)
            .addToLabels("app", "demo")
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("out")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", "env | sort > $(OUT_DIR)/env; exec sleep 600")
            .addNewEnv()
            .withName("OUT_DIR")
            .withValue("/out")
            .endEnv()
            .addNewEnv()
            .withName("SECRET")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "creds", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("MODE")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "settings", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("APP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.labels['app']")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("GREETING")
            .withValue("$(POD) in $(MODE) mode, $$(literal)")
            .endEnv()
            .addNewVolumeMount()
            .withName("out")
            .withMountPath("/out")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    awaitReady("env");
    Path envFile = kubelet.pod(NS, "env").orElseThrow().volume("out").resolve("env");
    await().until(() -> Files.exists(envFile) && Files.size(envFile) > 0);
    List<String> lines = Files.readAllLines(envFile);
    Path out = kubelet.pod(NS, "env").orElseThrow().volume("out");
    assertThat(lines)
        .contains(
            "SECRET=s3cr3t",
            "MODE=fast",
            "POD=env",
            "APP=demo",
            "IP=127.0.0.1",
            "GREETING=env in fast mode, $(literal)",
            "OUT_DIR=" + out);
  }

  @Test
  void refreshesSecretVolumesAtomicallyWhenTheSecretChanges() throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("token")
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("token", "first")
                .build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("secret-volume")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("tok")
            .withNewSecret()
            .withSecretName("token")
            .endSecret()
            .endVolume()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", "exec sleep 600")
            .addNewVolumeMount()
            .withName("tok")
            .withMountPath("/var/run/preview")
            .withReadOnly(true)
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    awaitReady("secret-volume");
    Path token = kubelet.pod(NS, "secret-volume").orElseThrow().volume("tok").resolve("token");
    assertThat(Files.readString(token)).isEqualTo("first");
    assertThat(Files.isSymbolicLink(token)).isTrue();

    client
        .secrets()
        .inNamespace(NS)
        .withName("token")
        .edit(s -> new SecretBuilder(s).withStringData(Map.of("token", "second")).build());
    eventually()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(token).equals("second"));
  }

  @Test
  void restartsCrashedContainersWithBackoffAndCountsRestarts() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("crashy")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", "sleep 0.1; exit 3")
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    eventually()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ContainerStatus s = status("crashy").getStatus().getContainerStatuses().get(0);
              assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(3);
              assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(3);
            });
  }

  @Test
  void killedContainerIsRestartedAndDeletedPodLeavesNoProcessOrDirectory() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("tree")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", "sleep 600 & sleep 600 & wait")
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    awaitReady("tree");
    await().until(() -> kubelet.processes().size() >= 3 || processesOf("tree").size() >= 3);
    List<ProcessHandle> first = processesOf("tree");

    kubelet.killContainer(NS, "tree", "main");
    eventually()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(status("tree").getStatus().getContainerStatuses().get(0).getRestartCount())
                  .isEqualTo(1);
              assertThat(
                      status("tree")
                          .getStatus()
                          .getContainerStatuses()
                          .get(0)
                          .getLastState()
                          .getTerminated()
                          .getExitCode())
                  .isEqualTo(137);
            });
    assertThat(first).noneMatch(ProcessHandle::isAlive);
    awaitReady("tree");
    await().until(() -> processesOf("tree").size() >= 3);
    List<ProcessHandle> second = processesOf("tree");
    Path dir = kubelet.pod(NS, "tree").orElseThrow().layout().root();

    client.pods().inNamespace(NS).withName("tree").delete();
    eventually()
        .atMost(Duration.ofSeconds(10))
        .until(() -> second.stream().noneMatch(ProcessHandle::isAlive));
    await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(dir));
  }

  @Test
  void servesTheWorkspaceWithTheBuiltInStaticSiteOnAMappedPort() throws Exception {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("site")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("workspace")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewInitContainer()
            .withName("seed")
            .withImage("busybox")
            .withCommand(
                "sh",
                "-c",
                "mkdir -p /workspace/src && echo '<h1>hi</h1>' > /workspace/index.html && echo 'x=1' > /workspace/src/a.js")
            .addNewVolumeMount()
            .withName("workspace")
            .withMountPath("/workspace")
            .endVolumeMount()
            .endInitContainer()
            .addNewContainer()
            .withName("dev")
            .withImage("node:20-alpine")
            .withCommand("npm", "run", "dev")
            .withWorkingDir("/workspace")
            .addNewPort()
            .withContainerPort(3000)
            .withName("http")
            .endPort()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/")
            .withNewPort("http")
            .endHttpGet()
            .withPeriodSeconds(1)
            .endReadinessProbe()
            .addNewVolumeMount()
            .withName("workspace")
            .withMountPath("/workspace")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    awaitReady("site");
    int port = kubelet.pod(NS, "site").orElseThrow().hostPort(3000).orElseThrow();
    assertThat(port).isNotEqualTo(3000);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> index =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).isEqualTo("<h1>hi</h1>\n");
    HttpResponse<String> js =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/src/a.js")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(js.body()).isEqualTo("x=1\n");
    assertThat(js.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
    HttpResponse<String> escape =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/..%2f..%2fetc/passwd"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(escape.statusCode()).isEqualTo(404);
  }

  @Test
  void failedInitContainerUnderRestartPolicyNeverFailsThePod() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("doomed")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewInitContainer()
            .withName("init")
            .withImage("busybox")
            .withCommand("sh", "-c", "echo nope >&2; exit 7")
            .endInitContainer()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sleep", "600")
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    eventually()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Pod p = status("doomed");
              assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
              assertThat(
                      p.getStatus()
                          .getInitContainerStatuses()
                          .get(0)
                          .getState()
                          .getTerminated()
                          .getExitCode())
                  .isEqualTo(7);
              assertThat(
                      p.getStatus()
                          .getContainerStatuses()
                          .get(0)
                          .getState()
                          .getWaiting()
                          .getReason())
                  .isEqualTo("PodInitializing");
            });
  }

  @Test
  void waitsForAMissingSecretThenStarts() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("late-secret")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", "exec sleep 600")
            .addNewEnv()
            .withName("X")
            .withNewValueFrom()
            .withNewSecretKeyRef("k", "late", false)
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    eventually()
        .untilAsserted(
            () -> {
              var waiting =
                  status("late-secret")
                      .getStatus()
                      .getContainerStatuses()
                      .get(0)
                      .getState()
                      .getWaiting();
              assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
              assertThat(waiting.getMessage())
                  .isEqualTo("secret \"late\" not found in namespace " + NS);
            });
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("late")
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("k", "v")
                .build())
        .create();
    awaitReady("late-secret");
  }

  private static List<ProcessHandle> processesOf(String pod) {
    return kubelet.pod(NS, pod).isPresent() ? kubeletProcesses(pod) : List.of();
  }

  private static List<ProcessHandle> kubeletProcesses(String pod) {
    // all processes of this test class's kubelet whose command line runs sleep or sh for that pod
    return kubelet.processes().stream()
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("600"))
        .toList();
  }

  private static Pod status(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private static Pod awaitReady(String name) {
    eventually()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Pod p = status(name);
              return p != null && p.getStatus() != null && "True".equals(condition(p, "Ready"));
            });
    return status(name);
  }

  private static String condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  /** Polls; a pod the kubelet has not written a status for yet is "not yet", not an error. */
  private static ConditionFactory eventually() {
    return await().ignoreExceptions();
  }
}
