package dev.velocity.preview.e2e.stack;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The stack's PostgreSQL: an embedded server with database {@code preview}, migrated, and two
 * least-privilege login roles with random passwords: {@code preview_operator_login} (member of
 * {@code preview_operator}: what the operator and gateway use) and {@code preview_app} (member of
 * {@code authenticated}: how the builder's backend writes files as a user, like PostgREST).
 */
public final class LocalDatabase implements AutoCloseable {
  /** The stack's database name. */
  public static final String DATABASE = "preview";

  /** The operator's and gateway's login role. */
  public static final String OPERATOR_ROLE = "preview_operator_login";

  /** The application's login role. */
  public static final String APP_ROLE = "preview_app";

  private final Path dataDir;
  private final Map<String, String> serverConfig;
  private volatile EmbeddedPostgresServer server;
  private final String operatorPassword = randomSecret();
  private final String appPassword = randomSecret();
  private final HikariDataSource admin;
  private final HikariDataSource app;

  private LocalDatabase(
      EmbeddedPostgresServer server, Path dataDir, Map<String, String> serverConfig) {
    this.server = server;
    this.dataDir = dataDir;
    this.serverConfig = serverConfig;
    createDatabase();
    DataSource superuser = server.superuserDataSource(DATABASE);
    Migrations.migrate(superuser);
    createRoles(superuser);
    this.admin = pool("preview-admin", EmbeddedPostgresServer.SUPERUSER, "", 8);
    this.app = pool("preview-app", APP_ROLE, appPassword, 32);
  }

  /** Starts (or reopens) the server with its data under {@code dataDir}. */
  public static LocalDatabase start(Path dataDir, int maxConnections) {
    Map<String, String> config =
        Map.of(
            // a throw-away local stack: durability traded for speed, as in tests
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off",
            "max_connections", Integer.toString(maxConnections),
            "shared_buffers", "256MB");
    EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(new EmbeddedPostgresServer.Options(0, dataDir, config));
    try {
      return new LocalDatabase(server, dataDir, config);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * Stops the server (a fast shutdown: every client connection is cut) and starts it again on the
   * same port and data directory, as a database failover or restart would look to its clients. The
   * pools here reconnect on their own.
   */
  public synchronized void restart() {
    int port = server.port();
    server.close();
    server =
        EmbeddedPostgresServer.start(
            new EmbeddedPostgresServer.Options(port, dataDir, serverConfig));
  }

  /** {@code jdbc:postgresql://localhost:<port>/preview}. */
  public String jdbcUrl() {
    return server.jdbcUrl(DATABASE);
  }

  /** The server's port. */
  public int port() {
    return server.port();
  }

  /** The operator login's password. */
  public String operatorPassword() {
    return operatorPassword;
  }

  /** The application login's password. */
  public String appPassword() {
    return appPassword;
  }

  /** Superuser pool (setup: users, projects, settings). */
  public DataSource admin() {
    return admin;
  }

  /** Application pool ({@code preview_app}, member of {@code authenticated}). */
  public DataSource app() {
    return app;
  }

  private void createDatabase() {
    try (Connection c = server.superuserDataSource("postgres").getConnection();
        Statement st = c.createStatement()) {
      var rs = st.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
      if (!rs.next()) {
        st.execute(
            "create database " + DATABASE + " template template0 encoding 'UTF8' locale 'C'");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  private void createRoles(DataSource superuser) {
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement()) {
      for (String[] role :
          new String[][] {
            {OPERATOR_ROLE, operatorPassword, "preview_operator"},
            {APP_ROLE, appPassword, "authenticated"}
          }) {
        st.execute(
            "do $$ begin if not exists (select from pg_roles where rolname = '"
                + role[0]
                + "') then create role "
                + role[0]
                + "; end if; end $$");
        st.execute("alter role " + role[0] + " login inherit password '" + role[1] + "'");
        st.execute("grant " + role[2] + " to " + role[0]);
        st.execute("grant connect on database " + DATABASE + " to " + role[0]);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create login roles: " + e.getMessage(), e);
    }
  }

  private HikariDataSource pool(String name, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl());
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }

  private static String randomSecret() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() {
    app.close();
    admin.close();
    server.close();
  }
}
