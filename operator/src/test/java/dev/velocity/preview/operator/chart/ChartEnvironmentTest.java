package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.operator.config.DatabaseConfig;
import dev.velocity.preview.operator.config.EnvVars;
import dev.velocity.preview.operator.config.OperatorConfig;
import dev.velocity.preview.operator.config.Role;
import dev.velocity.preview.operator.token.PemKeys;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The environment each rendered pod gets is accepted by the operator's own configuration ({@code
 * OperatorConfig.fromEnv} for the role in the pod's arguments, {@code DatabaseConfig} for {@code
 * migrate}), which validates every variable at start: a name or format the chart gets wrong fails
 * here, not in a crash-looping pod.
 */
class ChartEnvironmentTest {

  /** The Secrets {@link ValueSets#EXISTING_SECRETS} names, as an installation would create them. */
  static final List<Secret> EXISTING = existingSecrets();

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void everyProcessOfTheChartStartsFromItsEnvironment(ValueSets values, @TempDir Path root) {
    RenderedManifests rendered = values.render();

    rendered
        .podSpecs()
        .forEach(
            (pod, spec) -> {
              Map<String, String> env =
                  MountedPod.of(rendered, pod, root.resolve(pod.replace('/', '-')), EXISTING).env();
              String command = spec.getContainers().get(0).getArgs().get(0);
              if (command.equals("migrate")) {
                assertThat(DatabaseConfig.fromEnv(new EnvVars(env)).url())
                    .as(pod)
                    .startsWith("jdbc:postgresql://");
                return;
              }
              Role role = Role.parse(command.substring("--role=".length()));
              OperatorConfig config = OperatorConfig.fromEnv(env, role);
              assertAgrees(pod, spec, role, config, rendered);
            });
  }

  private static void assertAgrees(
      String pod, PodSpec spec, Role role, OperatorConfig config, RenderedManifests rendered) {
    Map<String, String> data = rendered.configData();
    assertThat(config.identity()).as(pod).isEqualTo("pod-0");
    assertThat(config.metricsPort()).as(pod).isEqualTo(8081);
    assertThat(config.token().signingKeyFile() != null)
        .as(pod + " signs")
        .isEqualTo(role.runsOperator());
    if (role.runsOperator()) {
      assertThat(config.agentImage()).as(pod).isEqualTo(Optional.of(data.get("AGENT_IMAGE")));
      assertThat(config.gatewayPublicUrl())
          .as(pod)
          .isEqualTo(Optional.of(URI.create(data.get("GATEWAY_PUBLIC_URL"))));
      assertThat(config.leaseNamespace())
          .as(pod)
          .isEqualTo(
              Boolean.parseBoolean(data.get("LEADER_ELECTION"))
                  ? Optional.of(NAMESPACE)
                  : Optional.empty());
    }
    if (role.runsGateway()) {
      assertThat(config.gateway().port()).as(pod).isEqualTo(8080);
      assertThat(config.gateway().serviceToken()).as(pod).isPresent();
    }
    String watched = data.get("WATCH_NAMESPACES");
    assertThat(config.watchNamespaces())
        .as(pod)
        .containsExactlyInAnyOrder(watched.isEmpty() ? new String[0] : watched.split(","));
  }

  private static List<Secret> existingSecrets() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return List.of(
          secret(
              "preview-token-key",
              Map.of(
                  "ed25519.key", PemKeys.toPem(pair.getPrivate()),
                  "ed25519.pub", PemKeys.toPem(pair.getPublic()))),
          secret("preview-gateway-token", Map.of("token", "existing-service-token")));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Secret secret(String name, Map<String, String> data) {
    Map<String, String> encoded = new TreeMap<>();
    data.forEach(
        (key, value) ->
            encoded.put(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(encoded)
        .build();
  }
}
