package dev.velocity.preview.sql;

import java.io.PrintStream;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies the database contract (the Flyway migrations under {@code db/migration}) to a PostgreSQL
 * database. The same files apply with {@code psql -f} in version order.
 */
public final class Migrations {

  /** Where the migrations live on the classpath. */
  public static final String LOCATION = "classpath:db/migration";

  /** The schema holding Flyway's history table; the migrations name every object's schema. */
  public static final String HISTORY_SCHEMA = "preview_private";

  private Migrations() {}

  /**
   * Applies every pending migration; a database already up to date is left as it is. The history
   * table is {@code preview_private.flyway_schema_history}. A database whose {@code
   * preview_private} schema was filled without Flyway (the files applied with psql) is baselined at
   * version 0, so every migration runs again (they are idempotent).
   *
   * @return the number of migrations applied
   */
  public static int migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(LOCATION)
            // the history table stays out of the API schema (PostgREST exposes public)
            .schemas(HISTORY_SCHEMA)
            .defaultSchema(HISTORY_SCHEMA)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .placeholderReplacement(false)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }

  /**
   * Command line: {@code java -cp ... dev.velocity.preview.sql.Migrations} with {@code
   * DATABASE_URL} (jdbc:postgresql://...), {@code DATABASE_USER} and {@code DATABASE_PASSWORD} in
   * the environment. Exit status 0 on success, 1 on failure, 2 on a configuration error.
   */
  public static void main(String[] args) {
    System.exit(run(System.getenv(), System.out, System.err));
  }

  static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    String url = env.get("DATABASE_URL");
    if (url == null || !url.startsWith("jdbc:postgresql://")) {
      err.println("DATABASE_URL must be set to a jdbc:postgresql://host:port/database URL");
      return 2;
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    if (env.get("DATABASE_USER") != null) {
      ds.setUser(env.get("DATABASE_USER"));
    }
    if (env.get("DATABASE_PASSWORD") != null) {
      ds.setPassword(env.get("DATABASE_PASSWORD"));
    }
    try {
      int applied = migrate(ds);
      out.println("database is up to date (" + applied + " migrations applied)");
      return 0;
    } catch (RuntimeException e) {
      err.println("migration failed: " + e.getMessage());
      return 1;
    }
  }
}
