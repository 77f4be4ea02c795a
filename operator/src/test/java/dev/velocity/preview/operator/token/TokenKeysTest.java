package dev.velocity.preview.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeysTest {
  @TempDir Path dir;

  @Test
  void loadsSigningKeyAndEveryPublicKeyFromPemFiles() throws Exception {
    TokenKeys a = TokenKeys.generate("2030-01");
    TokenKeys b = TokenKeys.generate("2030-02");
    Path secret = dir.resolve("signing.pem");
    Path publicDir = Files.createDirectory(dir.resolve("public"));
    Files.writeString(secret, PemKeys.toPem(b.signingKey()));
    Files.writeString(
        publicDir.resolve("2030-01.pem"), PemKeys.toPem(a.publicKeys().get("2030-01")));
    Files.writeString(
        publicDir.resolve("2030-02.pem"), PemKeys.toPem(b.publicKeys().get("2030-02")));
    Files.writeString(publicDir.resolve("README"), "ignored");

    TokenConfig config = TokenConfig.fromEnv(env(secret, "2030-02", publicDir));
    TokenKeys loaded = TokenKeys.load(config);

    assertThat(loaded.signingKeyId()).contains("2030-02");
    assertThat(loaded.publicKeys()).containsOnlyKeys("2030-01", "2030-02");
    UUID project = UUID.randomUUID();
    var metrics = TokenMetrics.of(new PrometheusRegistry());
    String jwt =
        new TokenMinter(config, loaded, Clock.systemUTC(), metrics)
            .mint("u", "n", "s", project)
            .token();
    assertThat(
            new TokenVerifier(config, loaded, Clock.systemUTC(), metrics)
                .verify(jwt, project)
                .sessionUid())
        .isEqualTo("u");
    String oldJwt =
        new TokenMinter(config, a, Clock.systemUTC(), metrics).mint("u", "n", "s", project).token();
    assertThat(
            new TokenVerifier(config, loaded, Clock.systemUTC(), metrics).verify(oldJwt, project))
        .isNotNull();
  }

  @Test
  void opensslStyleKeysParse() throws Exception {
    // openssl genpkey -algorithm ed25519 ; openssl pkey -pubout
    String priv =
        "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEIMYAOvBGd3RzDUa/4DgSRvtShBAGdZXnmz5lkyeYcW0k\n"
            + "-----END PRIVATE KEY-----\n";
    assertThat(PemKeys.privateKey(priv).getAlgorithm()).isIn("EdDSA", "Ed25519");
    TokenKeys keys = TokenKeys.generate("x");
    String pub = PemKeys.toPem(keys.publicKeys().get("x"));
    assertThat(pub).startsWith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA");
    assertThat(PemKeys.publicKey(pub)).isEqualTo(keys.publicKeys().get("x"));
  }

  @Test
  void signingKeyWithoutItsPublicHalfIsRefused() throws Exception {
    TokenKeys a = TokenKeys.generate("a");
    TokenKeys b = TokenKeys.generate("b");
    Path secret = Files.writeString(dir.resolve("signing.pem"), PemKeys.toPem(a.signingKey()));
    Path publicDir = Files.createDirectory(dir.resolve("public"));
    Files.writeString(publicDir.resolve("b.pem"), PemKeys.toPem(b.publicKeys().get("b")));

    assertThatThrownBy(() -> TokenKeys.load(TokenConfig.fromEnv(env(secret, "a", publicDir))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TOKEN_PUBLIC_KEYS_DIR must contain a.pem, the public half of TOKEN_SIGNING_KEY_FILE"
                + " (kid from TOKEN_SIGNING_KEY_ID)");
    // b.pem under kid "b" but the signing key is a's: a mismatch, named.
    assertThatThrownBy(() -> TokenKeys.load(TokenConfig.fromEnv(env(secret, "b", publicDir))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKEN_SIGNING_KEY_FILE does not match " + publicDir.resolve("b.pem"));
  }

  @Test
  void malformedFilesAreNamed() throws Exception {
    Path secret = Files.writeString(dir.resolve("signing.pem"), "not a key");
    assertThatThrownBy(() -> TokenKeys.load(TokenConfig.fromEnv(env(secret, "a", null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOKEN_SIGNING_KEY_FILE " + secret + " is not a readable PKCS#8");
    Path publicDir = Files.createDirectory(dir.resolve("public"));
    Files.writeString(
        publicDir.resolve("k.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(
            () ->
                TokenKeys.load(
                    TokenConfig.fromEnv(Map.of("TOKEN_PUBLIC_KEYS_DIR", publicDir.toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOKEN_PUBLIC_KEYS_DIR file " + publicDir.resolve("k.pem"));
  }

  @Test
  void generatedPairWhenNoKeyFileIsConfigured() {
    TokenKeys keys = TokenKeys.load(TokenConfig.fromEnv(Map.of()));
    assertThat(keys.signingKeyId()).contains("generated");
    assertThat(keys.publicKeys()).containsOnlyKeys("generated");
  }

  @Test
  void verifyOnlyKeysReadThePublicKeysOnlyAndCannotMint() throws Exception {
    TokenKeys operator = TokenKeys.generate("op-1");
    Path publicDir = Files.createDirectory(dir.resolve("public"));
    Files.writeString(
        publicDir.resolve("op-1.pem"), PemKeys.toPem(operator.publicKeys().get("op-1")));
    // a signing key file that does not exist: a verify-only load must never touch it
    TokenConfig config =
        TokenConfig.fromEnv(env(dir.resolve("absent/signing.pem"), "op-1", publicDir));

    TokenKeys gateway = TokenKeys.verifyOnly(config);

    assertThat(gateway.signingKeyId()).isEmpty();
    assertThat(gateway.publicKeys()).containsOnlyKeys("op-1");
    var metrics = TokenMetrics.of(new PrometheusRegistry());
    assertThatThrownBy(() -> new TokenMinter(config, gateway, Clock.systemUTC(), metrics))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token keys have no signing key");
    assertThatThrownBy(gateway::signingKey)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("these token keys have no signing key");
    UUID project = UUID.randomUUID();
    String jwt =
        new TokenMinter(config, operator, Clock.systemUTC(), metrics)
            .mint("u", "n", "s", project)
            .token();
    assertThat(
            new TokenVerifier(config, gateway, Clock.systemUTC(), metrics)
                .verify(jwt, project)
                .sessionUid())
        .isEqualTo("u");
  }

  @Test
  void verifyOnlyKeysNeedThePublicKeysDirectory() throws Exception {
    assertThatThrownBy(() -> TokenKeys.verifyOnly(TokenConfig.fromEnv(Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TOKEN_PUBLIC_KEYS_DIR must be set for --role=gateway: the gateway verifies session"
                + " tokens with the operator's public keys (<kid>.pem) and holds no signing key");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(
            () ->
                TokenKeys.verifyOnly(
                    TokenConfig.fromEnv(Map.of("TOKEN_PUBLIC_KEYS_DIR", empty.toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKEN_PUBLIC_KEYS_DIR " + empty + " holds no <kid>.pem public key");
  }

  private static Map<String, String> env(Path secret, String kid, Path publicDir) {
    Map<String, String> env = new HashMap<>();
    env.put("TOKEN_SIGNING_KEY_FILE", secret.toString());
    env.put("TOKEN_SIGNING_KEY_ID", kid);
    if (publicDir != null) {
      env.put("TOKEN_PUBLIC_KEYS_DIR", publicDir.toString());
    }
    return env;
  }
}
