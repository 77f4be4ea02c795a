package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SessionPodBuilderTest {

  private final SessionPodBuilder builder = new SessionPodBuilder(TestSessions.SETTINGS);
  private final PreviewSession session = TestSessions.session("my-app");
  private final Pod pod = builder.build(session, TestSessions.snapshot());

  private static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private Container container(String name) {
    return Stream.concat(
            pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void metadataNamesLabelsAndControllerReference() {
    assertThat(pod.getMetadata().getName()).isEqualTo("my-app-preview");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("previews");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "preview-operator")
        .containsEntry("app.kubernetes.io/name", "preview-session")
        .containsEntry("preview.velocity.dev/session", "my-app")
        .containsEntry("preview.velocity.dev/session-uid", session.getMetadata().getUid())
        .containsEntry("preview.velocity.dev/project", TestSessions.PROJECT);
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("PreviewSession");
              assertThat(ref.getApiVersion()).isEqualTo("preview.velocity.dev/v1alpha1");
              assertThat(ref.getUid()).isEqualTo(session.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    assertThat(pod.getMetadata().getAnnotations())
        .containsKey(PreviewSessionResources.SPEC_HASH_ANNOTATION);
  }

  @Test
  void hydrateInitContainerGetsTheSnapshotFromTheSecretAndTheContract() {
    Container hydrate = container("hydrate");
    assertThat(pod.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("hydrate");
    assertThat(hydrate.getImage()).isEqualTo("registry.example/preview-agent:1.2.3");
    assertThat(hydrate.getArgs()).containsExactly("hydrate");
    Map<String, EnvVar> env = env(hydrate);
    assertThat(env.keySet())
        .containsExactlyInAnyOrder(
            "SNAPSHOT_URL",
            "SNAPSHOT_SHA256",
            "SNAPSHOT_REVISION",
            "PROJECT_ID",
            "WORKSPACE_DIR",
            "STATE_DIR");
    assertThat(env.get("SNAPSHOT_URL").getValue()).isNull();
    assertThat(env.get("SNAPSHOT_URL").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("my-app-session");
    assertThat(env.get("SNAPSHOT_URL").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("snapshot-url");
    assertThat(env.get("SNAPSHOT_SHA256").getValue()).isEqualTo("ab".repeat(32));
    assertThat(env.get("SNAPSHOT_REVISION").getValue()).isEqualTo("42");
    assertThat(env.get("PROJECT_ID").getValue()).isEqualTo(TestSessions.PROJECT);
    assertThat(env.get("WORKSPACE_DIR").getValue()).isEqualTo("/workspace");
    assertThat(env.get("STATE_DIR").getValue()).isEqualTo("/var/lib/preview");
    assertThat(hydrate.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(hydrate.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactlyInAnyOrder("workspace:/workspace", "state:/var/lib/preview", "tmp:/tmp");
  }

  @Test
  void devServerComesFromTheSpec() {
    Container dev = container("dev-server");
    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("dev-server", "sync");
    assertThat(dev.getImage()).isEqualTo("node:22-alpine");
    assertThat(dev.getCommand()).containsExactly("npm");
    assertThat(dev.getArgs()).containsExactly("run", "dev");
    assertThat(dev.getWorkingDir()).isEqualTo("/workspace");
    assertThat(dev.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(3000);
              assertThat(p.getName()).isEqualTo("http");
            });
    assertThat(dev.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(3000);
    assertThat(env(dev)).containsOnlyKeys("NODE_ENV", "PORT");
    assertThat(env(dev).get("PORT").getValue()).isEqualTo("3000");
    assertThat(dev.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
    assertThat(dev.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(dev.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("workspace:/workspace");
  }

  @Test
  void syncSidecarReadsTheTokenFileAndReportsReadiness() {
    Container sync = container("sync");
    assertThat(sync.getImage()).isEqualTo("registry.example/preview-agent:1.2.3");
    assertThat(sync.getArgs()).containsExactly("sync");
    Map<String, EnvVar> env = env(sync);
    assertThat(env.keySet())
        .containsExactlyInAnyOrder(
            "REALTIME_URL",
            "PROJECT_ID",
            "TOKEN_FILE",
            "WORKSPACE_DIR",
            "STATE_DIR",
            "HEALTH_PORT");
    assertThat(env.get("REALTIME_URL").getValue()).isEqualTo("http://gateway.preview.svc:8080");
    assertThat(env.get("TOKEN_FILE").getValue()).isEqualTo("/var/run/preview/token");
    assertThat(env.get("HEALTH_PORT").getValue()).isEqualTo("8081");
    assertThat(sync.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(sync.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8081);
    assertThat(sync.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(sync.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("session-token"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/var/run/preview");
              assertThat(m.getReadOnly()).isTrue();
            });
  }

  @Test
  void volumesAreSizeLimitedEmptyDirsAndTheTokenOnly() {
    Map<String, Volume> volumes =
        pod.getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes).containsOnlyKeys("workspace", "state", "tmp", "session-token");
    assertThat(volumes.get("workspace").getEmptyDir().getSizeLimit())
        .isEqualTo(new Quantity("2Gi"));
    assertThat(volumes.get("state").getEmptyDir().getSizeLimit()).isNotNull();
    assertThat(volumes.get("tmp").getEmptyDir().getSizeLimit()).isNotNull();
    var secret = volumes.get("session-token").getSecret();
    assertThat(secret.getSecretName()).isEqualTo("my-app-session");
    assertThat(secret.getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKey()).isEqualTo("token");
              assertThat(i.getPath()).isEqualTo("token");
            });
    assertThat(secret.getDefaultMode()).isEqualTo(0440);
  }

  @Test
  void everyContainerMeetsTheRestrictedProfile() {
    var podSecurity = pod.getSpec().getSecurityContext();
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSpec().getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSpec().getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(10001L);
    assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSpec().getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    List<Container> all =
        Stream.concat(
                pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
            .toList();
    assertThat(all)
        .hasSize(3)
        .allSatisfy(
            c -> {
              var sc = c.getSecurityContext();
              assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
              assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
              assertThat(sc.getPrivileged()).as(c.getName()).isFalse();
              assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
              assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
              assertThat(sc.getSeccompProfile().getType())
                  .as(c.getName())
                  .isEqualTo("RuntimeDefault");
              assertThat(c.getPorts())
                  .as(c.getName())
                  .allSatisfy(p -> assertThat(p.getHostPort()).isNull());
            });
    assertThat(container("hydrate").getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container("sync").getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void noCredentialOfAnyKindAppearsInThePod() {
    PodCredentialScan.assertNoCredentials(pod, session);
  }

  @Test
  void specHashIsStableAcrossStatusChangesAndChangesWithTheSpec() {
    String hash =
        pod.getMetadata().getAnnotations().get(PreviewSessionResources.SPEC_HASH_ANNOTATION);
    PreviewSession withStatus = TestSessions.session("my-app");
    PreviewSessionStatus status = new PreviewSessionStatus();
    status.setPhase(SessionPhase.Running);
    status.setSyncedRevision(99L);
    withStatus.setStatus(status);
    assertThat(hashOf(withStatus)).isEqualTo(hash);

    PreviewSession newImage = TestSessions.session("my-app");
    newImage.getSpec().setImage("node:23-alpine");
    assertThat(hashOf(newImage)).isNotEqualTo(hash);

    PreviewSession newEnv = TestSessions.session("my-app");
    newEnv.getSpec().getEnv().get(0).setValue("production");
    assertThat(hashOf(newEnv)).isNotEqualTo(hash);
  }

  @Test
  void portZeroMeansNoPortNoProbeAndPort8081MovesTheSyncHealthPort() {
    PreviewSession noPort = TestSessions.session("worker");
    noPort.getSpec().setPort(0);
    Container dev = builder.build(noPort, TestSessions.snapshot()).getSpec().getContainers().get(0);
    assertThat(dev.getPorts()).isEmpty();
    assertThat(dev.getReadinessProbe()).isNull();
    assertThat(dev.getEnv()).extracting(EnvVar::getName).doesNotContain("PORT");

    PreviewSession clash = TestSessions.session("clash");
    clash.getSpec().setPort(8081);
    Container sync = builder.build(clash, TestSessions.snapshot()).getSpec().getContainers().get(1);
    assertThat(sync.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8082);
  }

  @Test
  void userSetPortVariableIsKept() {
    PreviewSession custom = TestSessions.session("custom");
    custom.getSpec().getEnv().add(new dev.velocity.preview.crds.EnvEntry("PORT", "5173"));
    Container dev = builder.build(custom, TestSessions.snapshot()).getSpec().getContainers().get(0);
    assertThat(dev.getEnv())
        .filteredOn(e -> e.getName().equals("PORT"))
        .extracting(EnvVar::getValue)
        .containsExactly("5173");
  }

  private String hashOf(PreviewSession s) {
    return builder
        .build(s, TestSessions.snapshot())
        .getMetadata()
        .getAnnotations()
        .get(PreviewSessionResources.SPEC_HASH_ANNOTATION);
  }
}
