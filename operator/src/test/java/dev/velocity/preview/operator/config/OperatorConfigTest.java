package dev.velocity.preview.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "jdbc:postgresql://db.example:5432/app");
    env.put("DATABASE_USER", "preview_login");
    env.put("DATABASE_PASSWORD", "s3cr3t");
    env.put("S3_ENDPOINT", "http://minio.storage:9000");
    env.put("S3_BUCKET", "snapshots");
    env.put("S3_ACCESS_KEY", "access");
    env.put("S3_SECRET_KEY", "secret-key-value");
    env.put("AGENT_IMAGE", "ghcr.io/velocity-dev/preview-agent:0.1.0");
    env.put("GATEWAY_PUBLIC_URL", "http://preview-gateway.preview-system.svc:8080");
    env.put("LEADER_ELECTION_NAMESPACE", "preview-system");
    return env;
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> env = env();
    if (value == null) {
      env.remove(key);
    } else {
      env.put(key, value);
    }
    return env;
  }

  private static void rejects(Map<String, String> env, Role role, String message) {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(env, role))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsForEverythingOptional() {
    OperatorConfig config = OperatorConfig.fromEnv(env(), Role.ALL);
    assertThat(config.database().poolSize()).isEqualTo(10);
    assertThat(config.database().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.storage().region()).isEqualTo("us-east-1");
    assertThat(config.storage().pathStyle()).isTrue();
    assertThat(config.storage().createBucket()).isFalse();
    assertThat(config.snapshot().urlTtl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.snapshot().retention()).isEqualTo(Duration.ofSeconds(604800));
    assertThat(config.token().issuer()).isEqualTo("preview-operator");
    assertThat(config.token().ttl()).isEqualTo(Duration.ofSeconds(600));
    assertThat(config.gateway().port()).isEqualTo(8080);
    assertThat(config.gateway().maxStreamsPerSession()).isEqualTo(4);
    assertThat(config.agentImage()).contains("ghcr.io/velocity-dev/preview-agent:0.1.0");
    assertThat(config.gatewayPublicUrl().orElseThrow().toString())
        .isEqualTo("http://preview-gateway.preview-system.svc:8080");
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).contains("preview-system");
    assertThat(config.metricsPort()).isEqualTo(8081);
    assertThat(config.sessionResync()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.snapshotGcInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.database().toString()).doesNotContain("s3cr3t");
    assertThat(config.storage().toString()).doesNotContain("secret-key-value");
  }

  @Test
  void namespacesAreAListOfDnsLabels() {
    OperatorConfig config =
        OperatorConfig.fromEnv(with("WATCH_NAMESPACES", " team-a, team-b ,,"), Role.OPERATOR);
    assertThat(config.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    rejects(
        with("WATCH_NAMESPACES", "team-a,Team_B"),
        Role.ALL,
        "WATCH_NAMESPACES must hold Kubernetes namespace names (lower-case DNS labels), got 'Team_B'");
  }

  @Test
  void theGatewayRoleNeedsNeitherAgentImageNorPublicUrlNorALeaseNorASigningKey() {
    Map<String, String> env = env();
    env.remove("AGENT_IMAGE");
    env.remove("GATEWAY_PUBLIC_URL");
    env.remove("LEADER_ELECTION_NAMESPACE");
    env.put("TOKEN_PUBLIC_KEYS_DIR", "/etc/preview-operator/token-public-keys");
    OperatorConfig config = OperatorConfig.fromEnv(env, Role.GATEWAY);
    assertThat(config.agentImage()).isEmpty();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.token().signingKeyFile()).isNull();
    rejects(
        env,
        Role.OPERATOR,
        "AGENT_IMAGE must be set: the image of the session agent (hydrate, sync)");
  }

  @Test
  void theGatewayRoleNeedsThePublicKeysItVerifiesWith() {
    rejects(
        env(),
        Role.GATEWAY,
        "TOKEN_PUBLIC_KEYS_DIR must be set for --role=gateway: the gateway verifies session tokens"
            + " with the operator's public keys (<kid>.pem) and holds no signing key");
    assertThat(OperatorConfig.fromEnv(env(), Role.ALL).token().publicKeysDir())
        .as("a process that mints may generate its pair")
        .isNull();
  }

  @Test
  void leaderElectionNeedsANamespaceOrCanBeTurnedOff() {
    rejects(
        with("LEADER_ELECTION_NAMESPACE", null),
        Role.ALL,
        "LEADER_ELECTION_NAMESPACE must be set when LEADER_ELECTION=true (or set LEADER_ELECTION=false for a single replica)");
    Map<String, String> fromPod = with("LEADER_ELECTION_NAMESPACE", null);
    fromPod.put("POD_NAMESPACE", "ops");
    assertThat(OperatorConfig.fromEnv(fromPod, Role.ALL).leaseNamespace()).contains("ops");
    Map<String, String> off = with("LEADER_ELECTION_NAMESPACE", null);
    off.put("LEADER_ELECTION", "false");
    assertThat(OperatorConfig.fromEnv(off, Role.ALL).leaderElection()).isFalse();
    rejects(
        with("LEADER_ELECTION", "yes"),
        Role.ALL,
        "LEADER_ELECTION must be true or false, got 'yes'");
  }

  @Test
  void eachBadValueNamesItsVariable() {
    rejects(
        with("DATABASE_URL", "postgres://db/app"),
        Role.ALL,
        "DATABASE_URL must be a jdbc:postgresql://host:port/database URL, got 'postgres://db/app'");
    rejects(
        with("DATABASE_URL", "jdbc:postgresql://db/app?password=x"),
        Role.ALL,
        "DATABASE_URL must not carry credentials; use DATABASE_USER and DATABASE_PASSWORD");
    rejects(
        with("DATABASE_USER", " "),
        Role.ALL,
        "DATABASE_USER must be set: the login role of the operator");
    rejects(
        with("DATABASE_POOL_SIZE", "many"),
        Role.ALL,
        "DATABASE_POOL_SIZE must be a whole number, got 'many'");
    rejects(
        with("DATABASE_POOL_SIZE", "0"),
        Role.ALL,
        "DATABASE_POOL_SIZE must be between 1 and 500, got 0");
    rejects(
        with("GATEWAY_PUBLIC_URL", "gateway:8080"),
        Role.ALL,
        "GATEWAY_PUBLIC_URL must be an absolute http:// or https:// URL, got 'gateway:8080'");
    rejects(
        with("GATEWAY_PUBLIC_URL", "http://user:pw@gateway:8080"),
        Role.ALL,
        "GATEWAY_PUBLIC_URL must not carry credentials, a query or a fragment, got 'http://user:pw@gateway:8080'");
    rejects(
        with("AGENT_IMAGE", "agent image"),
        Role.ALL,
        "AGENT_IMAGE must be an image reference, got 'agent image'");
    rejects(
        with("METRICS_PORT", "70000"),
        Role.ALL,
        "METRICS_PORT must be between 0 and 65535, got 70000");
    rejects(
        with("SESSION_RESYNC_SECONDS", "0"),
        Role.ALL,
        "SESSION_RESYNC_SECONDS must be between 1 and 3600, got 0");
    rejects(
        with("TOKEN_TTL_SECONDS", "five"),
        Role.ALL,
        "TOKEN_TTL_SECONDS must be a number of seconds, got 'five'");
    rejects(
        with("S3_BUCKET", null),
        Role.ALL,
        OperatorConfigTest.messageOf(
            () ->
                dev.velocity.preview.operator.storage.StorageConfig.fromEnv(
                    with("S3_BUCKET", null))));
    rejects(
        with("SNAPSHOT_URL_TTL_SECONDS", "1"),
        Role.ALL,
        "SNAPSHOT_URL_TTL_SECONDS must be between 10 and 604800, got 1");
    rejects(
        with("SNAPSHOT_CONCURRENT_BUILDS", "0"),
        Role.ALL,
        "SNAPSHOT_CONCURRENT_BUILDS must be between 1 and 64, got 0");
  }

  @Test
  void roleParsing() {
    assertThat(Role.parse("Gateway")).isEqualTo(Role.GATEWAY);
    assertThat(Role.ALL.runsGateway()).isTrue();
    assertThat(Role.ALL.runsOperator()).isTrue();
    assertThat(Role.OPERATOR.runsGateway()).isFalse();
    assertThatThrownBy(() -> Role.parse("worker"))
        .hasMessage("--role must be all, operator or gateway, got 'worker'");
  }

  private static String messageOf(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("S3_BUCKET");
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }
}
