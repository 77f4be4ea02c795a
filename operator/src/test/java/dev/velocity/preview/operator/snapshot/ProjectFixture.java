package dev.velocity.preview.operator.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A migrated database with projects whose files are written through the real RPCs, and a
 * least-privilege login in role {@code preview_operator} for the builder.
 */
final class ProjectFixture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final TestDatabase database;
  final DataSource superuser;
  final DataSource operator;
  private final UUID owner = UUID.randomUUID();

  ProjectFixture(String loginRole) {
    database = TestDatabase.create("preview_migrated", Migrations::migrate);
    superuser = database.superuserDataSource();
    database.createLoginRole(loginRole, "pw-" + loginRole, "preview_operator");
    operator = database.dataSource(loginRole, "pw-" + loginRole);
    try {
      update("update preview_private.settings set rate_limit_writes = 0");
      update("insert into user_profiles(id) values (?)", owner);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  UUID newProject() throws SQLException {
    UUID id = UUID.randomUUID();
    update("insert into projects(id, owner_id, name) values (?, ?, 'p')", id, owner);
    return id;
  }

  /** Writes text files in one bulk call (one revision), as the service role. */
  void write(UUID project, Map<String, String> files) throws Exception {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("file_path", f.getKey());
      item.put("file_type", "text");
      item.put("content", f.getValue());
      items.add(item);
    }
    String json = JSON.writeValueAsString(items);
    try (Connection c = superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select count(*) from bulk_upsert_project_files(?, ?::jsonb)")) {
      ps.setObject(1, project);
      ps.setString(2, json);
      ps.executeQuery().close();
    }
  }

  void delete(UUID project, String path) throws SQLException {
    try (Connection c = superuser.getConnection();
        PreparedStatement ps = c.prepareStatement("select * from delete_project_file(?, ?)")) {
      ps.setObject(1, project);
      ps.setString(2, path);
      ps.executeQuery().close();
    }
  }

  /** Uploads {@code bytes} to {@code blobs/{sha256}} and registers the binary file. */
  void writeBinary(UUID project, String path, byte[] bytes, ObjectStore store) throws SQLException {
    String hash = ContentHash.sha256Hex(bytes);
    if (store != null) {
      store.put(SnapshotKeys.blob(hash), bytes, "application/octet-stream");
    }
    try (Connection c = superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select * from register_binary_file(?, ?, ?, ?, 'binary')")) {
      ps.setObject(1, project);
      ps.setString(2, path);
      ps.setString(3, hash);
      ps.setLong(4, bytes.length);
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

  /** path → {version, content_hash} of the current files. */
  Map<String, Object[]> current(UUID project) throws SQLException {
    Map<String, Object[]> rows = new LinkedHashMap<>();
    try (Connection c = superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select file_path, version, content_hash from project_files_current"
                    + " where project_id = ? order by file_path")) {
      ps.setObject(1, project);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), new Object[] {rs.getInt(2), rs.getString(3)});
        }
      }
    }
    return rows;
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
  public void close() {
    database.close();
  }
}
