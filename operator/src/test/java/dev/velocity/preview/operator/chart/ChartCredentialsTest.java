package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Credentials reach the pods only through Secret references, never as values in the manifests. */
class ChartCredentialsTest {

  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile("(?i).*(PASSWORD|SECRET|ACCESS_KEY|SERVICE_TOKEN|PRIVATE|CREDENTIAL).*");

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void noEnvironmentVariableCarriesACredentialAsAValue(ValueSets values) {
    RenderedManifests rendered = values.render();

    rendered
        .containers()
        .forEach(
            (name, container) ->
                container.getEnv().stream()
                    .filter(env -> env.getValue() != null)
                    .forEach(
                        env ->
                            assertThat(env.getName())
                                .as(name + " sets a literal value")
                                .doesNotMatch(CREDENTIAL_NAME)));
    assertThat(rendered.configData().keySet())
        .noneMatch(key -> CREDENTIAL_NAME.matcher(key).matches());
    assertThat(rendered.configData().values()).noneMatch(value -> value.contains("PRIVATE KEY"));
  }

  @Test
  void operatorAndGatewayReadExactlyTheirCredentialsFromTheConfiguredSecrets() {
    RenderedManifests rendered = ValueSets.DEFAULTS.render();

    assertThat(secretRefs(container(rendered, "Deployment/" + FULLNAME + "-operator")))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "DATABASE_USER", "preview-database/username",
                    "DATABASE_PASSWORD", "preview-database/password",
                    "S3_ACCESS_KEY", "preview-s3/access-key",
                    "S3_SECRET_KEY", "preview-s3/secret-key")));
    assertThat(secretRefs(container(rendered, "Deployment/" + FULLNAME + "-gateway")))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "DATABASE_USER", "preview-database/username",
                    "DATABASE_PASSWORD", "preview-database/password",
                    "S3_ACCESS_KEY", "preview-s3/access-key",
                    "S3_SECRET_KEY", "preview-s3/secret-key",
                    "GATEWAY_SERVICE_TOKEN", FULLNAME + "-gateway-service-token/service-token")));
  }

  @Test
  void combinedPodsAlsoReadTheServiceTokenAndExistingSecretsAreReferencedByTheirKeys() {
    RenderedManifests combined = ValueSets.COMBINED.render();
    assertThat(secretRefs(container(combined, "Deployment/" + FULLNAME + "-operator")))
        .containsEntry("GATEWAY_SERVICE_TOKEN", FULLNAME + "-gateway-service-token/service-token");

    RenderedManifests existing = ValueSets.EXISTING_SECRETS.render();
    assertThat(secretRefs(container(existing, "Deployment/" + FULLNAME + "-gateway")))
        .containsEntry("GATEWAY_SERVICE_TOKEN", "preview-gateway-token/token");
  }

  @Test
  void theMigrationReadsTheOwnerLoginAndNothingElse() {
    RenderedManifests rendered = ValueSets.MIGRATION.render();
    Container migrate = container(rendered, "Job/" + FULLNAME + "-migrate");

    assertThat(secretRefs(migrate))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "DATABASE_USER", "preview-database-owner/username",
                    "DATABASE_PASSWORD", "preview-database-owner/password")));
    assertThat(migrate.getEnv())
        .extracting(EnvVar::getName)
        .containsExactlyInAnyOrder(
            "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "JAVA_TOOL_OPTIONS");
    assertThat(migrate.getEnvFrom()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void onlyTheOperatorMountsThePrivateSigningKey(ValueSets values) {
    values
        .render()
        .podSpecs()
        .forEach(
            (pod, spec) -> {
              boolean mountsPrivateKey =
                  spec.getVolumes().stream().anyMatch(v -> v.getName().equals("token-signing-key"));
              assertThat(mountsPrivateKey).as(pod).isEqualTo(pod.endsWith("-operator"));
              spec.getVolumes().stream()
                  .filter(v -> v.getName().equals("token-public-keys"))
                  .map(Volume::getProjected)
                  .flatMap(p -> p.getSources().stream())
                  .filter(source -> source.getSecret() != null)
                  .flatMap(source -> source.getSecret().getItems().stream())
                  .forEach(
                      item ->
                          assertThat(item.getKey()).as(pod).isIn("public-key.pem", "ed25519.pub"));
            });
  }

  private static Container container(RenderedManifests rendered, String pod) {
    PodSpec spec = rendered.podSpecs().get(pod);
    assertThat(spec).as(pod + " in " + rendered.names()).isNotNull();
    return spec.getContainers().get(0);
  }

  /** Env name to "secret/key" for every variable read from a Secret. */
  private static Map<String, String> secretRefs(Container container) {
    return container.getEnv().stream()
        .filter(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null)
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                env -> {
                  SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
                  return ref.getName() + "/" + ref.getKey();
                },
                (a, b) -> a,
                TreeMap::new));
  }
}
