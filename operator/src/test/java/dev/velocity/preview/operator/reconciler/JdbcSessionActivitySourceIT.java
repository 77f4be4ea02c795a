package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The activity query, as the least-privilege preview_operator login, on a migrated database. */
class JdbcSessionActivitySourceIT {

  private static TestDatabase db;
  private static DataSource superuser;
  private static JdbcSessionActivitySource source;
  private static final UUID OWNER = UUID.randomUUID();

  @BeforeAll
  static void database() throws SQLException {
    db = TestDatabase.create("preview_migrated", Migrations::migrate);
    superuser = db.superuserDataSource();
    db.createLoginRole("activity_login", "pw-activity", "preview_operator");
    source = new JdbcSessionActivitySource(db.dataSource("activity_login", "pw-activity"));
    update("update preview_private.settings set rate_limit_writes = 0");
    update("insert into user_profiles(id) values (?)", OWNER);
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  private static void update(String sql, Object... args) throws SQLException {
    try (Connection c = superuser.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.execute();
    }
  }

  private static UUID project() throws SQLException {
    UUID id = UUID.randomUUID();
    update("insert into projects(id, owner_id, name) values (?, ?, 'p')", id, OWNER);
    return id;
  }

  @Test
  void aProjectWithoutEditsOrAcks() throws Exception {
    UUID project = project();
    SessionActivity activity = source.read("uid-none", project);
    assertThat(activity.projectExists()).isTrue();
    assertThat(activity.projectRevision()).isZero();
    assertThat(activity.lastEditAt()).isNull();
    assertThat(activity.ackedRevision()).isNull();
    assertThat(activity.ackedAt()).isNull();
  }

  @Test
  void editsAndAcksAreSeen() throws Exception {
    UUID project = project();
    Instant before = Instant.now().minus(Duration.ofSeconds(5));
    update("select upsert_project_file(?, 'a.txt', 'one', 'text')", project);
    update("select upsert_project_file(?, 'a.txt', 'two', 'text')", project);
    update(
        "insert into preview_session_acks(session_uid, project_id, revision) values (?, ?, 1)",
        "uid-acked",
        project);
    SessionActivity activity = source.read("uid-acked", project);
    assertThat(activity.projectRevision()).isEqualTo(2);
    assertThat(activity.lastEditAt()).isAfter(before);
    assertThat(activity.ackedRevision()).isEqualTo(1L);
    assertThat(activity.ackedAt()).isAfter(before);
    assertThat(source.read("uid-other", project).ackedRevision())
        .as("acks are per session")
        .isNull();
  }

  @Test
  void aMissingProjectIsReportedNotThrown() throws Exception {
    SessionActivity activity = source.read("uid-x", UUID.randomUUID());
    assertThat(activity.projectExists()).isFalse();
  }

  @Test
  void anUnreachableDatabaseThrows() {
    var broken = new org.postgresql.ds.PGSimpleDataSource();
    broken.setUrl("jdbc:postgresql://127.0.0.1:1/nothing");
    broken.setConnectTimeout(1);
    assertThatThrownBy(() -> new JdbcSessionActivitySource(broken).read("uid", UUID.randomUUID()))
        .isInstanceOf(SQLException.class);
  }
}
