package dev.velocity.preview.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.velocity.preview.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;

/** Test helper: a migrated database, users, projects, and calls made as a given caller. */
final class Db implements AutoCloseable {

  /** A SQL action on a connection already acting as someone. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  final TestDatabase database;
  final DataSource superuser;

  private Db(TestDatabase database) {
    this.database = database;
    this.superuser = database.superuserDataSource();
  }

  /** Helpers over an existing database (not migrated here; not closed by the caller's Db). */
  static Db wrap(TestDatabase database) {
    return new Db(database);
  }

  static Db migrated() {
    return new Db(TestDatabase.create("preview_migrated", Migrations::migrate));
  }

  private Connection cached;

  /** One reused superuser connection: tests in a class run one at a time. */
  private synchronized Connection connection() throws SQLException {
    if (cached == null || cached.isClosed()) {
      cached = superuser.getConnection();
    }
    return cached;
  }

  @Override
  public void close() {
    try {
      if (cached != null) {
        cached.close();
      }
    } catch (SQLException ignored) {
      // the database is dropped next anyway
    }
    database.close();
  }

  UUID newUser() throws SQLException {
    UUID id = UUID.randomUUID();
    update("insert into user_profiles(id) values (?)", id);
    return id;
  }

  UUID newProject(UUID owner) throws SQLException {
    UUID id = UUID.randomUUID();
    update("insert into projects(id, owner_id, name) values (?, ?, 'p')", id, owner);
    return id;
  }

  void addMember(UUID project, UUID user, String role) throws SQLException {
    update(
        "insert into project_members(project_id, user_id, role) values (?, ?, ?)",
        project,
        user,
        role);
  }

  void setting(String column, Object value) throws SQLException {
    update("update preview_private.settings set " + column + " = ?", value);
  }

  synchronized int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  synchronized List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
    return query(connection(), sql, args);
  }

  long scalar(String sql, Object... args) throws SQLException {
    List<Map<String, Object>> rows = query(sql, args);
    return ((Number) rows.get(0).values().iterator().next()).longValue();
  }

  static List<Map<String, Object>> query(Connection c, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  /** Runs {@code work} in one transaction acting as an authenticated user (Supabase style). */
  <T> T asUser(UUID user, Work<T> work) throws SQLException {
    return as("authenticated", "{\"sub\":\"" + user + "\",\"role\":\"authenticated\"}", work);
  }

  /** {@link #asUser} for row results (helps type inference inside assertions). */
  List<Map<String, Object>> userRows(UUID user, Work<List<Map<String, Object>>> work)
      throws SQLException {
    return asUser(user, work);
  }

  /** {@link #asService} for row results. */
  List<Map<String, Object>> serviceRows(Work<List<Map<String, Object>>> work) throws SQLException {
    return asService(work);
  }

  /** Runs {@code work} in one transaction acting as service_role via claims. */
  <T> T asService(Work<T> work) throws SQLException {
    return as("service_role", "{\"role\":\"service_role\"}", work);
  }

  /** Runs {@code work} as the anon role (no user). */
  <T> T asAnon(Work<T> work) throws SQLException {
    return as("anon", "{\"role\":\"anon\"}", work);
  }

  synchronized <T> T as(String role, String claims, Work<T> work) throws SQLException {
    Connection c = connection();
    c.setAutoCommit(false);
    try {
      try (Statement st = c.createStatement()) {
        st.execute("set local role " + role);
        try (PreparedStatement ps =
            c.prepareStatement("select set_config('request.jwt.claims', ?, true)")) {
          ps.setString(1, claims);
          ps.execute();
        }
      }
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  static Map<String, Object> upsert(
      Connection c, UUID project, String path, String content, String type, Integer expected)
      throws SQLException {
    return query(
            c,
            "select * from upsert_project_file(?, ?, ?, ?, ?)",
            project,
            path,
            content,
            type,
            expected)
        .get(0);
  }

  static Map<String, Object> delete(Connection c, UUID project, String path, Integer expected)
      throws SQLException {
    return query(c, "select * from delete_project_file(?, ?, ?)", project, path, expected).get(0);
  }

  static List<Map<String, Object>> bulk(Connection c, UUID project, String filesJson)
      throws SQLException {
    return query(c, "select * from bulk_upsert_project_files(?, ?::jsonb)", project, filesJson);
  }

  /**
   * Asserts that {@code work} fails with {@code sqlState} and a message containing {@code text}.
   */
  static PSQLException assertFails(String sqlState, String text, ThrowingRunnable work) {
    PSQLException e = catchThrowableOfType(PSQLException.class, work::run);
    assertThat((Object) e).as("expected SQLSTATE %s", sqlState).isNotNull();
    assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
    assertThat(e.getServerErrorMessage().getMessage()).contains(text);
    return e;
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Counts that prove "nothing written": revision, file rows, events of one project. */
  record State(long revision, long files, long events) {}

  State state(UUID project) throws SQLException {
    return new State(
        scalar("select revision from projects where id = ?", project),
        scalar("select count(*) from project_files where project_id = ?", project),
        scalar("select count(*) from project_file_events where project_id = ?", project));
  }
}
