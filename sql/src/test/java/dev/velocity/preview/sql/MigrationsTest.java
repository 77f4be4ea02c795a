package dev.velocity.preview.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void missingOrWrongDatabaseUrlIsAConfigurationError() {
    for (Map<String, String> env :
        java.util.List.of(Map.<String, String>of(), Map.of("DATABASE_URL", "postgres://x/y"))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          Migrations.run(
              env,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(code).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "DATABASE_URL must be set to a jdbc:postgresql://host:port/database URL"
                  + System.lineSeparator());
      assertThat(out.size()).isZero();
    }
  }

  @Test
  void unreachableDatabaseIsAFailure() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Migrations.run(
            Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("migration failed: ");
  }
}
