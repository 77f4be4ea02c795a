package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.operator.config.DatabaseConfig;
import dev.velocity.preview.operator.config.EnvVars;
import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.token.TokenConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The environment each rendered pod gets is accepted by the project's config records, which
 * validate every variable at start: a name or format the chart gets wrong fails here, not in a
 * crash-looping pod.
 */
class ChartEnvironmentTest {

  @ParameterizedTest
  @EnumSource(
      value = ValueSets.class,
      names = {"DEFAULTS", "NAMESPACED", "CLUSTER", "GATEWAY_SPLIT_3", "COMBINED", "LOCKED_DOWN"})
  void everyProcessOfTheChartStartsFromItsEnvironment(ValueSets values, @TempDir Path root) {
    RenderedManifests rendered = values.render();

    rendered
        .podSpecs()
        .keySet()
        .forEach(
            pod -> {
              Map<String, String> env =
                  MountedPod.of(rendered, pod, root.resolve(pod.replace('/', '-'))).env();
              DatabaseConfig database = DatabaseConfig.fromEnv(new EnvVars(env));
              assertThat(database.url()).as(pod).startsWith("jdbc:postgresql://");
              if (pod.startsWith("Job/")) {
                return;
              }
              TokenConfig tokens = TokenConfig.fromEnv(env);
              assertThat(tokens.publicKeysDir()).as(pod).isDirectory();
              boolean signs = pod.endsWith("-operator");
              assertThat(tokens.signingKeyFile() != null).as(pod + " signs").isEqualTo(signs);
              boolean servesGateway =
                  !pod.equals("Deployment/" + FULLNAME + "-operator")
                      || values == ValueSets.COMBINED;
              if (servesGateway) {
                GatewayConfig gateway = GatewayConfig.fromEnv(env);
                assertThat(gateway.port()).as(pod).isEqualTo(8080);
                assertThat(gateway.serviceToken()).as(pod).isPresent();
              }
            });
  }
}
