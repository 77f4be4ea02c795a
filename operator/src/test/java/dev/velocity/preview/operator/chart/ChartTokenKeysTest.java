package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.operator.token.MintedToken;
import dev.velocity.preview.operator.token.PemKeys;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMinter;
import dev.velocity.preview.operator.token.TokenRejectedException;
import dev.velocity.preview.operator.token.TokenVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart's keys, mounted where the chart mounts them and read through the environment it sets,
 * work with the project's token code: the operator signs, the gateway verifies (with {@link
 * TokenKeys#verifyOnly(TokenConfig)}, as {@code --role=gateway} loads them), and a rotation keeps
 * the previous key's tokens valid.
 */
class ChartTokenKeysTest {

  private static final String OPERATOR = "Deployment/" + FULLNAME + "-operator";
  private static final String GATEWAY = "Deployment/" + FULLNAME + "-gateway";
  private static final UUID PROJECT = UUID.fromString("7d1f6c5e-2b4a-4c1e-9f3a-0a1b2c3d4e5f");

  @Test
  void tokensTheOperatorMintsAreAcceptedByTheGateway(@TempDir Path root) throws Exception {
    RenderedManifests rendered = ChartUnderTest.firstInstall().render("");
    TokenConfig operatorConfig =
        TokenConfig.fromEnv(MountedPod.of(rendered, OPERATOR, root.resolve("op")).env());
    TokenConfig gatewayConfig =
        TokenConfig.fromEnv(MountedPod.of(rendered, GATEWAY, root.resolve("gw")).env());

    assertThat(operatorConfig.signingKeyId()).isEqualTo("preview-1");
    assertThat(gatewayConfig.signingKeyFile()).isNull();
    MintedToken token =
        new TokenMinter(operatorConfig, TokenKeys.load(operatorConfig))
            .mint("uid-1", "previews", "demo", PROJECT);

    var claims =
        new TokenVerifier(gatewayConfig, TokenKeys.verifyOnly(gatewayConfig))
            .verify(token.token(), PROJECT);
    assertThat(claims.projectId()).isEqualTo(PROJECT);
    assertThat(claims.session()).isEqualTo("previews/demo");
  }

  @Test
  void duringARotationTheGatewayAcceptsTheOldAndTheNewKey(@TempDir Path root) throws Exception {
    KeyPair old = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String oldPublic = PemKeys.toPem(old.getPublic());
    RenderedManifests rendered =
        ChartUnderTest.firstInstall()
            .render("tokens:\n  additionalPublicKeys:\n    preview-0: |\n" + oldPublic.indent(6));
    TokenConfig operatorConfig =
        TokenConfig.fromEnv(MountedPod.of(rendered, OPERATOR, root.resolve("op")).env());
    TokenConfig gatewayConfig =
        TokenConfig.fromEnv(MountedPod.of(rendered, GATEWAY, root.resolve("gw")).env());
    TokenVerifier gateway = new TokenVerifier(gatewayConfig, TokenKeys.verifyOnly(gatewayConfig));

    String current =
        new TokenMinter(operatorConfig, TokenKeys.load(operatorConfig))
            .mint("uid-1", "previews", "demo", PROJECT)
            .token();
    String previous =
        mintWithKey(root, "preview-0", old).mint("uid-2", "previews", "old", PROJECT).token();

    assertThat(gateway.verify(current, PROJECT).sessionUid()).isEqualTo("uid-1");
    assertThat(gateway.verify(previous, PROJECT).sessionUid()).isEqualTo("uid-2");
  }

  @Test
  void aKeyTheChartDoesNotPublishIsRejected(@TempDir Path root) throws Exception {
    RenderedManifests rendered = ChartUnderTest.firstInstall().render("");
    TokenConfig gatewayConfig =
        TokenConfig.fromEnv(MountedPod.of(rendered, GATEWAY, root.resolve("gw")).env());
    TokenVerifier gateway = new TokenVerifier(gatewayConfig, TokenKeys.verifyOnly(gatewayConfig));
    KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    String forged =
        mintWithKey(root, "preview-1", stranger).mint("uid-3", "previews", "x", PROJECT).token();

    assertThatThrownBy(() -> gateway.verify(forged, PROJECT))
        .isInstanceOfSatisfying(
            TokenRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void theGatewayPodHasNoSigningKeyAndCannotMint(ValueSets values, @TempDir Path root)
      throws Exception {
    RenderedManifests rendered = values.render();
    if (!rendered.podSpecs().containsKey(GATEWAY)) {
      return; // combined mode: the operator pods serve the gateway (--role=all) and do mint
    }
    Path mounted = root.resolve("gw");
    Map<String, String> env =
        MountedPod.of(rendered, GATEWAY, mounted, ChartEnvironmentTest.EXISTING).env();

    assertThat(env).doesNotContainKeys("TOKEN_SIGNING_KEY_FILE", "TOKEN_SIGNING_KEY_ID");
    try (Stream<Path> files = Files.walk(mounted)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("PRIVATE KEY");
      }
    }
    TokenConfig config = TokenConfig.fromEnv(env);
    TokenKeys keys = TokenKeys.verifyOnly(config);
    assertThat(keys.signingKeyId()).isEmpty();
    assertThat(keys.publicKeys()).isNotEmpty();
    assertThatThrownBy(() -> new TokenMinter(config, keys))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token keys have no signing key");
  }

  private static TokenMinter mintWithKey(Path root, String kid, KeyPair pair) throws Exception {
    Path dir = Files.createDirectories(root.resolve("signer-" + kid + "-" + System.nanoTime()));
    Path key = Files.writeString(dir.resolve("key.pem"), PemKeys.toPem(pair.getPrivate()));
    Path publicDir = Files.createDirectories(dir.resolve("public"));
    Files.writeString(publicDir.resolve(kid + ".pem"), PemKeys.toPem(pair.getPublic()));
    TokenConfig config =
        new TokenConfig(key, kid, publicDir, "preview-operator", Duration.ofMinutes(10));
    return new TokenMinter(config, TokenKeys.load(config));
  }
}
