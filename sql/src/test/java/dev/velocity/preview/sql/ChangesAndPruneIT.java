package dev.velocity.preview.sql;

import static dev.velocity.preview.sql.Db.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** project_changes_since and prune_project_history. */
class ChangesAndPruneIT {
  static final Db db = Db.migrated();

  UUID owner;
  UUID project;

  @AfterAll
  static void drop() {
    db.close();
  }

  /** Revisions 1..5: a.txt v1, b.txt v1, a.txt v2, bulk(c, d, a.txt v3), delete b.txt. */
  @BeforeEach
  void history() throws Exception {
    owner = db.newUser();
    project = db.newProject(owner);
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "a1", "text", null));
    db.asUser(owner, c -> Db.upsert(c, project, "b.txt", "b1", "text", null));
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "a2", "text", null));
    db.asUser(
        owner,
        c ->
            Db.bulk(
                c,
                project,
                "[{\"file_path\":\"d.txt\",\"file_type\":\"text\",\"content\":\"d\"},"
                    + "{\"file_path\":\"c.txt\",\"file_type\":\"text\",\"content\":\"c\"},"
                    + "{\"file_path\":\"a.txt\",\"file_type\":\"text\",\"content\":\"a3\"}]"));
    db.asUser(owner, c -> Db.delete(c, project, "b.txt", null));
  }

  List<Map<String, Object>> changes(long since, Integer max) throws Exception {
    return db.asUser(
        owner,
        c ->
            max == null
                ? Db.query(c, "select * from project_changes_since(?, ?)", project, since)
                : Db.query(c, "select * from project_changes_since(?, ?, ?)", project, since, max));
  }

  @Test
  void replaysInRevisionThenPathOrderWithContent() throws Exception {
    assertThat(changes(0, null))
        .extracting(
            r -> r.get("revision"),
            r -> r.get("event_type"),
            r -> r.get("file_path"),
            r -> r.get("content"),
            r -> r.get("version"),
            r -> r.get("is_deleted"))
        .containsExactly(
            tuple(1L, "file:update", "a.txt", "a1", 1, false),
            tuple(2L, "file:update", "b.txt", "b1", 1, false),
            tuple(3L, "file:update", "a.txt", "a2", 2, false),
            tuple(4L, "bulk:apply", "a.txt", "a3", 3, false),
            tuple(4L, "bulk:apply", "c.txt", "c", 1, false),
            tuple(4L, "bulk:apply", "d.txt", "d", 1, false),
            tuple(5L, "file:delete", "b.txt", null, 2, true));
    assertThat(changes(3, null)).extracting(r -> r.get("revision")).containsExactly(4L, 4L, 4L, 5L);
    assertThat(changes(5, null)).isEmpty();
    assertThat(changes(99, null)).isEmpty();
  }

  @Test
  void maxEventsCountsRevisionsAndNeverSplitsABulk() throws Exception {
    assertThat(changes(0, 2)).extracting(r -> r.get("revision")).containsExactly(1L, 2L);
    assertThat(changes(3, 1)).extracting(r -> r.get("revision")).containsExactly(4L, 4L, 4L);
  }

  @Test
  void badArgumentsAndStrangers() throws Exception {
    assertFails(
        "PT400", "since_revision must be a non-negative revision, got -1", () -> changes(-1, null));
    assertFails("PT400", "max_events must be at least 1, got 0", () -> changes(0, 0));
    UUID stranger = db.newUser();
    assertFails(
        "PT403",
        "user " + stranger + " is not a member of project " + project,
        () ->
            db.asUser(
                stranger, c -> Db.query(c, "select * from project_changes_since(?, 0)", project)));
    UUID nowhere = UUID.randomUUID();
    assertFails(
        "PT404",
        "project " + nowhere + " does not exist",
        () ->
            db.asUser(
                owner, c -> Db.query(c, "select * from project_changes_since(?, 0)", nowhere)));
  }

  @Test
  void pruneRemovesAWholeOldPrefixAndKeepsEveryHead() throws Exception {
    var filesBefore =
        db.asUser(owner, c -> Db.query(c, "select * from list_current_files(?)", project));
    // revision 1 looks recent but revision 3 is old: the prefix 1..3 goes
    db.update(
        "update project_file_events set created_at = now() - interval '30 days'"
            + " where project_id = ? and revision in (2, 3)",
        project);
    var pruned =
        db.asService(c -> Db.query(c, "select * from prune_project_history(null, ?)", project));
    assertThat(pruned)
        .containsExactly(
            Map.of("projects_pruned", 1L, "events_deleted", 3L, "versions_deleted", 3L));
    assertThat(
            db.query(
                "select revision from project_file_events where project_id = ? order by 1",
                project))
        .extracting(r -> r.get("revision"))
        .containsExactly(4L, 5L);
    // a.txt v1 and v2 are gone; b.txt v1 (revision 2) is not current (b.txt is a tombstone) so gone
    // too
    assertThat(
            db.query(
                "select file_path, version from project_files where project_id = ? order by 1, 2",
                project))
        .extracting(r -> r.get("file_path"), r -> r.get("version"))
        .containsExactly(
            tuple("a.txt", 3), tuple("b.txt", 2), tuple("c.txt", 1), tuple("d.txt", 1));
    var filesAfter =
        db.asUser(owner, c -> Db.query(c, "select * from list_current_files(?)", project));
    assertThat(filesAfter).isEqualTo(filesBefore);
    assertThat(changes(3, null)).extracting(r -> r.get("revision")).containsExactly(4L, 4L, 4L, 5L);
    // the gateway's "too old" test: the first replayed revision is not since + 1
    assertThat(changes(0, null).get(0).get("revision")).isEqualTo(4L);
    // parent links into the pruned range are cleared, not dangling
    assertThat(
            db.scalar(
                "select count(*) from project_files f where project_id = ? and parent_version_id is not null"
                    + " and not exists (select 1 from project_files p where p.id = f.parent_version_id)",
                project))
        .isZero();
  }

  @Test
  void pruneWithDefaultRetentionKeepsRecentHistory() throws Exception {
    var pruned =
        db.asService(c -> Db.query(c, "select * from prune_project_history(null, ?)", project));
    assertThat(pruned)
        .containsExactly(
            Map.of("projects_pruned", 0L, "events_deleted", 0L, "versions_deleted", 0L));
    assertThat(db.state(project)).isEqualTo(new Db.State(5, 7, 5));
    assertFails(
        "PT400",
        "retention must not be negative",
        () ->
            db.asService(
                c -> Db.query(c, "select * from prune_project_history('-1 day', ?)", project)));
  }

  @Test
  void lostFileVersionsAreAnErrorNotAShortReplay() throws Exception {
    db.update(
        "delete from project_files where project_id = ? and file_path = 'a.txt' and version = 2",
        project);
    assertFails(
        "XX001",
        "revision 3 of project " + project + " has lost file versions; resync from a snapshot",
        () -> changes(0, null));
    assertThat(changes(3, null)).hasSize(4);
  }

  @Test
  void operatorCannotPrune() throws Exception {
    String login = db.database.createLoginRole("cp_operator", "pw", "preview_operator");
    try (var c = db.database.dataSource(login, "pw").getConnection()) {
      assertFails(
          "42501",
          "permission denied for function prune_project_history",
          () -> Db.query(c, "select * from prune_project_history()"));
    }
  }
}
