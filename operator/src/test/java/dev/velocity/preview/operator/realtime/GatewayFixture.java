package dev.velocity.preview.operator.realtime;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.velocity.preview.operator.token.MintedToken;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMetrics;
import dev.velocity.preview.operator.token.TokenMinter;
import dev.velocity.preview.operator.token.TokenVerifier;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.EmbeddedPostgresServer;
import dev.velocity.preview.testkit.TestDatabase;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A migrated database, a least-privilege gateway pool, token keys and a started {@link
 * GatewayServer}; plus writes made the way the builder's backend makes them (the file RPCs as
 * {@code service_role}).
 */
public final class GatewayFixture implements AutoCloseable {
  final TestDatabase database;
  final DataSource superuser;
  final HikariDataSource pool;
  final TokenKeys keys = TokenKeys.generate("test-key");
  final TokenConfig tokenConfig = TokenConfig.generated();
  final TokenMetrics tokenMetrics = TokenMetrics.of(new PrometheusRegistry());
  final TokenMinter minter = new TokenMinter(tokenConfig, keys, Clock.systemUTC(), tokenMetrics);
  final TokenVerifier verifier =
      new TokenVerifier(tokenConfig, keys, Clock.systemUTC(), tokenMetrics);
  final InMemorySessionRegistry sessions = new InMemorySessionRegistry();
  public final GatewayServer server;
  final String role;
  private final Connection writer;

  /** A session: its UID and a token for one project. */
  public record Session(String uid, String token, UUID projectId) {}

  private GatewayFixture(
      TestDatabase database, GatewayConfig config, Consumer<GatewayServer.Builder> customize)
      throws Exception {
    this.database = database;
    superuser = database.superuserDataSource();
    Migrations.migrate(superuser);
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement()) {
      // the per-user write rate limit guards humans' projects, not load tests
      st.execute("update preview_private.settings set rate_limit_writes = 0");
    }
    role = "gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    database.createLoginRole(role, "secret-" + role, "preview_operator");
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(database.jdbcUrl());
    hikari.setUsername(role);
    hikari.setPassword("secret-" + role);
    hikari.setMaximumPoolSize(10);
    hikari.setPoolName("gateway-test");
    hikari.setConnectionTimeout(2_000);
    pool = new HikariDataSource(hikari);
    writer = superuser.getConnection();
    try (Statement st = writer.createStatement()) {
      st.execute("set role service_role");
      st.execute("set request.jwt.claims = '{\"role\":\"service_role\"}'");
    }
    GatewayServer.Builder builder =
        GatewayServer.builder(config, pool, verifier).sessions(sessions);
    customize.accept(builder);
    server = builder.build();
    server.start();
  }

  public static GatewayFixture start() throws Exception {
    return start(testConfig(), b -> {});
  }

  public static GatewayFixture start(
      GatewayConfig config, Consumer<GatewayServer.Builder> customize) throws Exception {
    return new GatewayFixture(TestDatabase.create(), config, customize);
  }

  /** A gateway on a new database of {@code server} (e.g. one with other server settings). */
  public static GatewayFixture start(
      EmbeddedPostgresServer server,
      GatewayConfig config,
      Consumer<GatewayServer.Builder> customize)
      throws Exception {
    return new GatewayFixture(TestDatabase.create(server), config, customize);
  }

  /** The superuser DataSource of the fixture's database (benchmarks read server state). */
  public DataSource superuser() {
    return superuser;
  }

  /** Defaults with an ephemeral port, a small stream buffer and a quick heartbeat. */
  static GatewayConfig testConfig() {
    return GatewayConfig.defaults();
  }

  /** A new project (and its owner). */
  public UUID newProject() throws SQLException {
    UUID owner = UUID.randomUUID();
    UUID project = UUID.randomUUID();
    try (Connection c = superuser.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("insert into user_profiles(id) values (?)")) {
        ps.setObject(1, owner);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement("insert into projects(id, owner_id, name) values (?, ?, 'p')")) {
        ps.setObject(1, project);
        ps.setObject(2, owner);
        ps.executeUpdate();
      }
    }
    return project;
  }

  /** Writes one file through {@code upsert_project_file}; returns the new revision. */
  public synchronized long write(UUID project, String path, String content) throws SQLException {
    return revisionOf(
        "select revision from upsert_project_file(?, ?, ?, 'typescript')", project, path, content);
  }

  /** Deletes one file through {@code delete_project_file}; returns the new revision. */
  synchronized long delete(UUID project, String path) throws SQLException {
    return revisionOf("select revision from delete_project_file(?, ?)", project, path, null);
  }

  /** Writes a bulk through {@code bulk_upsert_project_files}; returns the new revision. */
  synchronized long bulk(UUID project, String filesJson) throws SQLException {
    try (PreparedStatement ps =
        writer.prepareStatement(
            "select max(revision) from bulk_upsert_project_files(?, ?::jsonb)")) {
      ps.setObject(1, project);
      ps.setString(2, filesJson);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long revisionOf(String sql, UUID project, String path, String content)
      throws SQLException {
    try (PreparedStatement ps = writer.prepareStatement(sql)) {
      ps.setObject(1, project);
      ps.setString(2, path);
      if (content != null) {
        ps.setString(3, content);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Process ids of this database cluster's server processes (for CPU accounting). */
  public List<Long> serverPids() throws SQLException {
    List<Long> pids = new ArrayList<>();
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pid from pg_stat_activity")) {
      while (rs.next()) {
        pids.add(rs.getLong(1));
      }
    }
    return pids;
  }

  /** The project's revision. */
  public long revision(UUID project) throws SQLException {
    try (Connection c = superuser.getConnection();
        PreparedStatement ps = c.prepareStatement("select revision from projects where id = ?")) {
      ps.setObject(1, project);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A new session with a token for {@code project}. */
  public Session session(UUID project) {
    String uid = UUID.randomUUID().toString();
    MintedToken minted = minter.mint(uid, "previews", "s-" + uid.substring(0, 8), project);
    return new Session(uid, minted.token(), project);
  }

  /** A new session whose token expires {@code in} from now (issued 60 s earlier than that). */
  Session expiringSession(UUID project, Duration in) {
    Instant issued = Instant.now().plus(in).minus(tokenConfig.ttl());
    TokenMinter past =
        new TokenMinter(tokenConfig, keys, Clock.fixed(issued, ZoneOffset.UTC), tokenMetrics);
    String uid = UUID.randomUUID().toString();
    return new Session(uid, past.mint(uid, "previews", "exp", project).token(), project);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  URI events(UUID project) {
    return uri("/v1/projects/" + project + "/events");
  }

  @Override
  public void close() throws Exception {
    server.close();
    writer.close();
    pool.close();
    database.close();
  }
}
