package dev.velocity.preview.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.operator.config.OperatorConfig;
import dev.velocity.preview.operator.config.Role;
import dev.velocity.preview.operator.reconciler.MockCluster;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.EmbeddedS3;
import dev.velocity.preview.testkit.TestDatabase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Everything the operator process talks to, real where it can be: a migrated PostgreSQL database
 * (reached through a {@link TcpProxy} the test can cut) with a least-privilege login, an S3Proxy
 * bucket, and the mock API server. Used by the {@code *IT} tests and the operator benchmark.
 */
public final class OperatorStack implements AutoCloseable {

  static final String LOGIN = "op_app_login";
  static final String PASSWORD = "pw-op-app-" + UUID.randomUUID();
  static final String BUCKET = "preview-snapshots";
  private static final ObjectMapper JSON = new ObjectMapper();

  public final TestDatabase database;
  final DataSource superuser;
  final EmbeddedS3 s3;
  public final MockCluster cluster;
  final TcpProxy databaseProxy;
  private final UUID owner = UUID.randomUUID();

  public OperatorStack() throws Exception {
    database = TestDatabase.create("preview_migrated", Migrations::migrate);
    superuser = database.superuserDataSource();
    database.createLoginRole(LOGIN, PASSWORD, "preview_operator");
    update("update preview_private.settings set rate_limit_writes = 0");
    update("insert into user_profiles(id) values (?)", owner);
    URI jdbc = URI.create(database.jdbcUrl().substring("jdbc:".length()));
    databaseProxy = new TcpProxy(jdbc.getHost(), jdbc.getPort());
    s3 = EmbeddedS3.start(EmbeddedS3.Options.transientStore().withBucket(BUCKET));
    cluster = new MockCluster();
  }

  /** The environment of an operator process using this stack. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put(
        "DATABASE_URL",
        "jdbc:postgresql://127.0.0.1:" + databaseProxy.port() + "/" + database.name());
    env.put("DATABASE_USER", LOGIN);
    env.put("DATABASE_PASSWORD", PASSWORD);
    env.put("DATABASE_POOL_SIZE", "6");
    env.put("DATABASE_CONNECT_TIMEOUT_SECONDS", "2");
    env.put("S3_ENDPOINT", s3.endpoint().toString());
    env.put("S3_REGION", s3.region());
    env.put("S3_BUCKET", BUCKET);
    env.put("S3_ACCESS_KEY", s3.accessKey());
    env.put("S3_SECRET_KEY", s3.secretKey());
    env.put("SNAPSHOT_URL_TTL_SECONDS", "300");
    env.put("TOKEN_TTL_SECONDS", "600");
    env.put("GATEWAY_PORT", "0");
    env.put("GATEWAY_PUBLIC_URL", "http://preview-gateway.preview-system.svc:8080");
    env.put("AGENT_IMAGE", "ghcr.io/velocity-dev/preview-agent:0.1.0");
    env.put("LEADER_ELECTION", "false");
    env.put("METRICS_PORT", "0");
    env.put("SESSION_RESYNC_SECONDS", "2");
    env.put("SNAPSHOT_GC_INTERVAL_SECONDS", "0");
    return env;
  }

  /** Every value in the environment that is a credential. */
  List<String> credentials() {
    return List.of(PASSWORD, s3.secretKey(), s3.accessKey());
  }

  /**
   * An operator process (role {@code ALL}) with its own API client; closing it stops the operator
   * and then closes the client, as {@code Main} does, so no watch of a stopped operator lingers on
   * the mock API server (a lingering one stalls the server's event loop for 30 s per write).
   */
  RunningOperator start(Map<String, String> overrides) {
    Map<String, String> env = env();
    env.putAll(overrides);
    KubernetesClient client = cluster.newClient();
    try {
      return new RunningOperator(
          OperatorApp.start(
              OperatorConfig.fromEnv(env, Role.ALL),
              Role.ALL,
              client,
              OperatorApp.Options.embedded()),
          client);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** An {@link OperatorApp} and the client it was given, closed together. */
  record RunningOperator(OperatorApp app, KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      try {
        app.close();
      } finally {
        client.close();
      }
    }
  }

  /** A new project with {@code files} written in one revision through the bulk RPC. */
  public UUID newProject(Map<String, String> files) throws Exception {
    UUID id = UUID.randomUUID();
    update("insert into projects(id, owner_id, name) values (?, ?, 'p')", id, owner);
    write(id, files);
    return id;
  }

  void write(UUID project, Map<String, String> files) throws Exception {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("file_path", f.getKey());
      item.put("file_type", "text");
      item.put("content", f.getValue());
      items.add(item);
    }
    try (Connection c = superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select count(*) from bulk_upsert_project_files(?, ?::jsonb)")) {
      ps.setObject(1, project);
      ps.setString(2, JSON.writeValueAsString(items));
      ps.executeQuery().close();
    }
  }

  long revision(UUID project) throws SQLException {
    try (Connection c = superuser.getConnection();
        PreparedStatement ps = c.prepareStatement("select revision from projects where id = ?")) {
      ps.setObject(1, project);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    try (Connection c = superuser.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
    s3.close();
    databaseProxy.close();
    database.close();
  }
}
