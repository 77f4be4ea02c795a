package dev.velocity.preview.e2e.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The application side of the database contract, as the AI app builder uses it: users and projects,
 * and file writes through the RPCs acting as a user ({@code SET LOCAL ROLE authenticated} with
 * {@code request.jwt.claims}, exactly as Supabase/PostgREST does). Reads of the current files go
 * through {@code list_current_files} as the project's owner.
 */
public final class ProjectFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource admin;
  private final DataSource app;

  /**
   * @param admin a connection allowed to create users and projects (the builder's backend)
   * @param app a login role that is a member of {@code authenticated} (PostgREST's authenticator)
   */
  public ProjectFiles(DataSource admin, DataSource app) {
    this.admin = admin;
    this.app = app;
  }

  /** Creates a user profile. */
  public UUID createUser() {
    UUID id = UUID.randomUUID();
    update(admin, "insert into public.user_profiles (id) values (?)", id);
    return id;
  }

  /** Creates a project owned by {@code owner}. */
  public UUID createProject(UUID owner, String name) {
    UUID id = UUID.randomUUID();
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into public.projects (id, owner_id, name) values (?, ?, ?)")) {
      ps.setObject(1, id);
      ps.setObject(2, owner);
      ps.setString(3, name);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("cannot create project " + name, e);
    }
    return id;
  }

  /** {@code upsert_project_file} as {@code user}; returns the project revision it created. */
  public long upsert(UUID user, UUID project, String path, String content, String fileType) {
    return asUser(
        user,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("select revision from public.upsert_project_file(?, ?, ?, ?)")) {
            ps.setObject(1, project);
            ps.setString(2, path);
            ps.setString(3, content);
            ps.setString(4, fileType);
            return single(ps);
          }
        });
  }

  /** {@code delete_project_file} as {@code user}; returns the revision of the tombstone. */
  public long delete(UUID user, UUID project, String path) {
    return asUser(
        user,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("select revision from public.delete_project_file(?, ?)")) {
            ps.setObject(1, project);
            ps.setString(2, path);
            return single(ps);
          }
        });
  }

  /** {@code bulk_upsert_project_files} as {@code user}; returns the project revision after it. */
  public long bulk(UUID user, UUID project, List<FileChangeRequest> changes) {
    ArrayNode items = JSON.createArrayNode();
    for (FileChangeRequest ch : changes) {
      ObjectNode item = items.addObject().put("file_path", ch.path());
      if (ch.isDelete()) {
        item.put("delete", true);
      } else {
        item.put("file_type", ch.fileType()).put("content", ch.content());
      }
    }
    return asUser(
        user,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select count(*) from public.bulk_upsert_project_files(?, ?::jsonb)")) {
            ps.setObject(1, project);
            ps.setString(2, items.toString());
            single(ps);
          }
          try (PreparedStatement ps =
              c.prepareStatement("select revision from public.projects where id = ?")) {
            ps.setObject(1, project);
            return single(ps);
          }
        });
  }

  /** The project's current revision. */
  public long revision(UUID project) {
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select revision from public.projects where id = ?")) {
      ps.setObject(1, project);
      return single(ps);
    } catch (SQLException e) {
      throw new DatabaseException("cannot read the revision of " + project, e);
    }
  }

  /** {@code list_current_files} as {@code user}: path → current file. */
  public Map<String, CurrentFile> listCurrentFiles(UUID user, UUID project) {
    return asUser(
        user,
        c -> {
          Map<String, CurrentFile> files = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select file_path, file_type, content, content_hash, version from public.list_current_files(?)")) {
            ps.setObject(1, project);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                files.put(
                    rs.getString(1),
                    new CurrentFile(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5)));
              }
            }
          }
          return files;
        });
  }

  /** Sets the per-user write rate limit (0 = off), as the database owner may. */
  public void setRateLimit(int writes, int windowSeconds) {
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update preview_private.settings set rate_limit_writes = ?, rate_limit_window_seconds = ?")) {
      ps.setInt(1, writes);
      ps.setInt(2, windowSeconds);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("cannot change the rate limit", e);
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T asUser(UUID user, Work<T> work) {
    try (Connection c = app.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement(
                "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ?, true)")) {
          ps.setString(1, "{\"sub\":\"" + user + "\",\"role\":\"authenticated\"}");
          ps.execute();
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e.getSQLState() + ": " + e.getMessage(), e);
    }
  }

  private static long single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("no row returned");
      }
      return rs.getLong(1);
    }
  }

  private static void update(DataSource ds, String sql, Object arg) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, arg, arg == null ? Types.NULL : Types.OTHER);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("cannot run " + sql, e);
    }
  }
}
