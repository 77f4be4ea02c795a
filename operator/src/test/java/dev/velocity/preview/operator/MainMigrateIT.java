package dev.velocity.preview.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code preview-operator migrate} against a real, empty PostgreSQL database. */
class MainMigrateIT {

  @Test
  void migrateCreatesTheSchemaAndIsIdempotent() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      db.createLoginRole("migrate_admin", "pw-migrate");
      try (Connection c = db.superuserDataSource().getConnection()) {
        // migrations create roles and SECURITY DEFINER functions: the installer runs them as an
        // owner
        c.createStatement().execute("alter role migrate_admin superuser");
      }
      Map<String, String> env =
          Map.of(
              "DATABASE_URL",
              db.jdbcUrl(),
              "DATABASE_USER",
              "migrate_admin",
              "DATABASE_PASSWORD",
              "pw-migrate");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      int first = Main.run(new String[] {"migrate"}, env, o, e, () -> null);
      assertThat(first).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("preview-operator: database is up to date (");
      try (Connection c = db.superuserDataSource().getConnection();
          ResultSet rs =
              c.createStatement()
                  .executeQuery("select to_regclass('public.preview_session_acks') is not null")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
      out.reset();
      assertThat(Main.run(new String[] {"migrate"}, env, o, e, () -> null)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("(0 migrations applied)");
    }
  }

  @Test
  void aWrongPasswordFailsWithStatusOne() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      db.createLoginRole("migrate_bad", "right");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Main.run(
              new String[] {"migrate"},
              Map.of(
                  "DATABASE_URL",
                  db.jdbcUrl(),
                  "DATABASE_USER",
                  "migrate_bad",
                  "DATABASE_PASSWORD",
                  "wrong"),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              () -> null);
      assertThat(code).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .startsWith("preview-operator: migration failed: ")
          .doesNotContain("wrong");
    }
  }
}
