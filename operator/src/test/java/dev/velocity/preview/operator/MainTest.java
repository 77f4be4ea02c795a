package dev.velocity.preview.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The command line: usage and configuration errors end with one line and exit status 2. */
class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicBoolean clientCreated = new AtomicBoolean();

  private int run(Map<String, String> env, String... args) {
    return Main.run(
        args,
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        () -> {
          clientCreated.set(true);
          throw new AssertionError("no Kubernetes client for a bad configuration");
        });
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownArgumentsPrintUsage() {
    assertThat(run(Map.of(), "--verbose")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "preview-operator: unknown argument '--verbose'; "
                + Main.USAGE
                + System.lineSeparator());
  }

  @Test
  void aBadRoleIsAUsageError() {
    assertThat(run(Map.of(), "--role=worker")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "preview-operator: --role must be all, operator or gateway, got 'worker'"
                + System.lineSeparator());
  }

  @Test
  void missingConfigurationNamesTheVariableBeforeAnythingStarts() {
    assertThat(run(Map.of(), "--role=operator")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "preview-operator: DATABASE_URL must be set: the jdbc:postgresql:// URL of the project database"
                + System.lineSeparator());
    assertThat(clientCreated).isFalse();
  }

  @Test
  void theGatewayRoleWithoutPublicKeysStopsBeforeAnythingStarts() {
    Map<String, String> env =
        Map.of(
            "DATABASE_URL", "jdbc:postgresql://db.example:5432/app",
            "DATABASE_USER", "preview_login",
            "DATABASE_PASSWORD", "pw",
            "S3_ENDPOINT", "http://minio.storage:9000",
            "S3_BUCKET", "snapshots",
            "S3_ACCESS_KEY", "access",
            "S3_SECRET_KEY", "secret");
    assertThat(run(env, "--role=gateway")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "preview-operator: TOKEN_PUBLIC_KEYS_DIR must be set for --role=gateway: the gateway"
                + " verifies session tokens with the operator's public keys (<kid>.pem) and holds"
                + " no signing key"
                + System.lineSeparator());
    assertThat(clientCreated).isFalse();
  }

  @Test
  void migrateNeedsOnlyTheDatabase() {
    assertThat(run(Map.of("DATABASE_URL", "mysql://x"), "migrate")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "preview-operator: DATABASE_URL must be a jdbc:postgresql://host:port/database URL, got 'mysql://x'"
                + System.lineSeparator());
  }
}
