package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.velocity.preview.crds.EnvEntry;
import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PreviewSessions with invalid or extreme specs. The API server enforces the CRD schema (the mock
 * server does not), so schema rules are asserted on the checked-in CRD; what passes the schema must
 * still give a valid, credential-free pod whose agent containers the spec cannot touch.
 */
class HostileSpecTest {
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private final SessionPodBuilder builder = new SessionPodBuilder(TestSessions.SETTINGS);

  private static JsonNode specSchema() throws Exception {
    Path crd = Path.of("..", "crds", "previewsessions.preview.velocity.dev-v1.yml");
    JsonNode root = new YAMLMapper().readTree(Files.readString(crd));
    return root.path("spec")
        .path("versions")
        .get(0)
        .path("schema")
        .path("openAPIV3Schema")
        .path("properties")
        .path("spec")
        .path("properties");
  }

  @Test
  void schemaRefusesBadProjectIdsPortsAndLifetimes() throws Exception {
    JsonNode spec = specSchema();
    Pattern uuid = Pattern.compile(spec.path("projectId").path("pattern").asText());
    for (String bad :
        List.of(
            "",
            "not-a-uuid",
            "../../etc/passwd",
            "0b9f3c1e-3f2a-4d7e-9a51-5f6c7d8e9f01; drop table projects",
            "0b9f3c1e-3f2a-4d7e-9a51-5f6c7d8e9f01\n",
            "0b9f3c1e3f2a4d7e9a515f6c7d8e9f01",
            "{0b9f3c1e-3f2a-4d7e-9a51-5f6c7d8e9f01}")) {
      assertThat(uuid.matcher(bad).matches()).as("projectId %s", bad).isFalse();
    }
    assertThat(uuid.matcher(TestSessions.PROJECT).matches()).isTrue();
    assertThat(spec.path("port").path("minimum").asInt()).isZero();
    assertThat(spec.path("port").path("maximum").asInt()).isEqualTo(65535);
    assertThat(spec.path("ttlSeconds").path("minimum").asInt()).isEqualTo(1);
    assertThat(spec.path("idleTimeoutSeconds").path("minimum").asInt()).isEqualTo(1);
    assertThat(spec.path("image").path("minLength").asInt()).isEqualTo(1);
    assertThat(spec.path("image").path("maxLength").asInt()).isEqualTo(512);
  }

  @Test
  void schemaRefusesEnvNamesThatAreNotPlainIdentifiers() throws Exception {
    JsonNode name = specSchema().path("env").path("items").path("properties").path("name");
    Pattern pattern = Pattern.compile(name.path("pattern").asText());
    for (String bad : List.of("", "A=B", "$(SECRET)", "X Y", "1ABC", "A\nB", "a;b")) {
      assertThat(pattern.matcher(bad).matches()).as("env name %s", bad).isFalse();
    }
    assertThat(name.path("maxLength").asInt()).isEqualTo(256);
    // literal values only: no valueFrom, so a session cannot read a Secret or ConfigMap
    assertThat(specSchema().path("env").path("items").path("properties").has("valueFrom"))
        .isFalse();
  }

  @Test
  void envNamedLikeAgentOrDatabaseVariablesReachesOnlyTheDevServer() {
    PreviewSession session = TestSessions.session("hostile-env");
    List<EnvEntry> env = new ArrayList<>();
    for (String name :
        List.of(
            "SNAPSHOT_URL",
            "SNAPSHOT_SHA256",
            "TOKEN_FILE",
            "REALTIME_URL",
            "PROJECT_ID",
            "WORKSPACE_DIR",
            "DATABASE_URL",
            "DATABASE_PASSWORD",
            "S3_SECRET_KEY")) {
      env.add(new EnvEntry(name, "attacker-" + name));
    }
    session.getSpec().setEnv(env);
    Pod pod = builder.build(session, TestSessions.snapshot());

    Container hydrate = pod.getSpec().getInitContainers().get(0);
    Map<String, EnvVar> hydrateEnv = byName(hydrate);
    assertThat(hydrateEnv.get("SNAPSHOT_URL").getValue()).isNull();
    assertThat(hydrateEnv.get("SNAPSHOT_URL").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(PreviewSessionResources.secretName(session));
    assertThat(hydrateEnv.get("PROJECT_ID").getValue()).isEqualTo(TestSessions.PROJECT);
    assertThat(hydrateEnv).doesNotContainKeys("DATABASE_URL", "DATABASE_PASSWORD", "S3_SECRET_KEY");
    Container sync = container(pod, PreviewSessionResources.SYNC_CONTAINER);
    Map<String, EnvVar> syncEnv = byName(sync);
    assertThat(syncEnv.get("TOKEN_FILE").getValue()).isEqualTo(SessionPodBuilder.TOKEN_FILE);
    assertThat(syncEnv.get("REALTIME_URL").getValue())
        .isEqualTo(TestSessions.SETTINGS.realtimeUrl());
    assertThat(syncEnv.get("PROJECT_ID").getValue()).isEqualTo(TestSessions.PROJECT);
    assertThat(syncEnv).doesNotContainKeys("DATABASE_URL", "DATABASE_PASSWORD", "S3_SECRET_KEY");
    for (Container agent : List.of(hydrate, sync)) {
      assertThat(agent.getEnv())
          .allSatisfy(e -> assertThat(String.valueOf(e.getValue())).doesNotStartWith("attacker-"));
    }
    // the dev server gets what the spec said, literally, and nothing that names a Secret
    Container dev = container(pod, PreviewSessionResources.DEV_SERVER_CONTAINER);
    assertThat(byName(dev).get("TOKEN_FILE").getValue()).isEqualTo("attacker-TOKEN_FILE");
    assertThat(dev.getEnv()).allSatisfy(e -> assertThat(e.getValueFrom()).isNull());
    assertThat(dev.getVolumeMounts())
        .extracting(m -> m.getName())
        .containsExactly(SessionPodBuilder.WORKSPACE_VOLUME);
    // the rest of the pod (the attacker's own literal values aside) carries no credential
    dev.setEnv(List.of());
    PodCredentialScan.assertNoCredentials(pod, session);
  }

  @Test
  void hugeEnvIsCopiedLiterallyAndKeepsThePodCredentialFree() {
    PreviewSession session = TestSessions.session("huge-env");
    List<EnvEntry> env = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      env.add(new EnvEntry("V" + i, "$(TOKEN_FILE)" + "x".repeat(256)));
    }
    env.add(new EnvEntry("BIG", "y".repeat(512 * 1024)));
    session.getSpec().setEnv(env);
    Pod pod = builder.build(session, TestSessions.snapshot());
    Container dev = container(pod, PreviewSessionResources.DEV_SERVER_CONTAINER);
    assertThat(dev.getEnv()).hasSize(2_002); // + PORT
    assertThat(byName(dev).get("BIG").getValue()).hasSize(512 * 1024);
    assertThat(byName(container(pod, PreviewSessionResources.SYNC_CONTAINER))).hasSize(6);
    PodCredentialScan.assertNoCredentials(pod, session);
  }

  @Test
  void namesAtTheLimitsAndWithDotsOrDigitsGiveValidObjectNames() {
    List<String> names =
        List.of(
            "a".repeat(253),
            "a".repeat(63),
            "a".repeat(54),
            "a".repeat(55),
            "my.app",
            "v1.2.3",
            "1app",
            "0.0.0",
            "a." + "b".repeat(60) + ".c",
            "x".repeat(61) + "." + "y".repeat(100));
    for (String name : names) {
      PreviewSession session = TestSessions.session(name);
      String pod = PreviewSessionResources.podName(session);
      String service = PreviewSessionResources.serviceName(session);
      String secret = PreviewSessionResources.secretName(session);
      assertThat(service).as("service of %s", name).hasSizeLessThanOrEqualTo(63).matches(DNS_1035);
      assertThat(pod).as("pod of %s", name).hasSizeLessThanOrEqualTo(63).matches(DNS_1035);
      assertThat(secret)
          .as("secret of %s", name)
          .hasSizeLessThanOrEqualTo(253)
          .matches(DNS_1123_SUBDOMAIN);
      assertThat(PreviewSessionResources.labels(session).values())
          .allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE));
      Pod built = builder.build(session, TestSessions.snapshot());
      assertThat(built.getMetadata().getName()).isEqualTo(pod);
      PodCredentialScan.assertNoCredentials(built, session);
    }
    // names that differ only where they were rewritten or cut stay distinct
    assertThat(PreviewSessionResources.dnsLabel("my.app", "-preview"))
        .isNotEqualTo(PreviewSessionResources.dnsLabel("my-app", "-preview"));
    assertThat(PreviewSessionResources.dnsLabel("a".repeat(253), "-preview"))
        .isNotEqualTo(PreviewSessionResources.dnsLabel("a".repeat(252), "-preview"));
    // plain short names are unchanged
    assertThat(PreviewSessionResources.dnsLabel("my-app", "-preview")).isEqualTo("my-app-preview");
  }

  private static Map<String, EnvVar> byName(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> b));
  }

  private static Container container(Pod pod, String name) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
