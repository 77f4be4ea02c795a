package dev.velocity.preview.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.operator.config.OperatorConfig;
import dev.velocity.preview.operator.config.Role;
import dev.velocity.preview.operator.token.PemKeys;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMinter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --role=gateway} as {@code Main} starts it: with the operator's public keys only, it runs
 * without {@code TOKEN_SIGNING_KEY_ID} or any private key, never reads a configured signing key
 * file, accepts what the operator mints and nothing signed by another key under the same kid.
 */
class GatewayRoleIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static OperatorStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = new OperatorStack();
  }

  @AfterAll
  static void stopStack() throws Exception {
    stack.close();
  }

  private static OperatorApp start(Map<String, String> env, Role role) {
    return OperatorApp.start(
        OperatorConfig.fromEnv(env, role),
        role,
        stack.cluster.newClient(),
        OperatorApp.Options.embedded());
  }

  private static Map<String, String> gatewayEnv(Path publicDir) {
    Map<String, String> env = stack.env();
    env.remove("AGENT_IMAGE");
    env.remove("GATEWAY_PUBLIC_URL");
    env.put("TOKEN_PUBLIC_KEYS_DIR", publicDir.toString());
    return env;
  }

  private static int ack(int port, UUID project, String token) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/projects/" + project + "/acks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static String mint(TokenKeys keys, UUID project) {
    return new TokenMinter(TokenConfig.generated(), keys)
        .mint(UUID.randomUUID().toString(), "previews", "demo", project)
        .token();
  }

  @Test
  void theGatewayStartsWithPublicKeysOnlyAndVerifiesTheOperatorsTokens(@TempDir Path dir)
      throws Exception {
    TokenKeys operatorKeys = TokenKeys.generate("op-1");
    Path publicDir = Files.createDirectory(dir.resolve("public"));
    Files.writeString(
        publicDir.resolve("op-1.pem"), PemKeys.toPem(operatorKeys.publicKeys().get("op-1")));
    Map<String, String> env = gatewayEnv(publicDir);
    assertThat(env).doesNotContainKeys("TOKEN_SIGNING_KEY_ID", "TOKEN_SIGNING_KEY_FILE");

    try (OperatorApp gateway = start(env, Role.GATEWAY)) {
      int port = gateway.gatewayPort().orElseThrow();
      UUID project = UUID.randomUUID();
      // verified signature, other project's token: 403 (not 401) proves the key was accepted
      assertThat(ack(port, UUID.randomUUID(), mint(operatorKeys, project))).isEqualTo(403);
      TokenKeys impostor = TokenKeys.generate("op-1");
      assertThat(ack(port, project, mint(impostor, project))).isEqualTo(401);
      TokenKeys generated = TokenKeys.generate(TokenConfig.GENERATED_KEY_ID);
      assertThat(ack(port, project, mint(generated, project)))
          .as("no key pair of its own under 'generated'")
          .isEqualTo(401);
    }
  }

  @Test
  void aSigningKeyFileGivenToTheGatewayIsNeverRead(@TempDir Path dir) throws Exception {
    TokenKeys operatorKeys = TokenKeys.generate("op-1");
    Path publicDir = Files.createDirectory(dir.resolve("public"));
    Files.writeString(
        publicDir.resolve("op-1.pem"), PemKeys.toPem(operatorKeys.publicKeys().get("op-1")));
    Map<String, String> env = gatewayEnv(publicDir);
    Path absent = dir.resolve("no-such-dir/signing-key.pem");
    env.put("TOKEN_SIGNING_KEY_FILE", absent.toString());
    env.put("TOKEN_SIGNING_KEY_ID", "op-1");

    try (OperatorApp gateway = start(env, Role.GATEWAY)) {
      assertThat(gateway.gatewayPort()).isPresent();
    }
    Map<String, String> operatorEnv = stack.env();
    operatorEnv.putAll(env);
    operatorEnv.put("AGENT_IMAGE", stack.env().get("AGENT_IMAGE"));
    operatorEnv.put("GATEWAY_PUBLIC_URL", stack.env().get("GATEWAY_PUBLIC_URL"));
    assertThatThrownBy(() -> start(operatorEnv, Role.OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "TOKEN_SIGNING_KEY_FILE " + absent + " is not a readable PKCS#8 PEM Ed25519 key");
  }
}
