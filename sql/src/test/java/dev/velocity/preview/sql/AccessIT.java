package dev.velocity.preview.sql;

import static dev.velocity.preview.sql.Db.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access matrix: owner/editor/viewer/stranger/anon, service_role, preview_operator. */
class AccessIT {
  static final Db db = Db.migrated();
  static UUID owner;
  static UUID editor;
  static UUID viewer;
  static UUID stranger;
  static UUID project;
  static UUID otherProject;

  @BeforeAll
  static void setUp() throws Exception {
    owner = db.newUser();
    editor = db.newUser();
    viewer = db.newUser();
    stranger = db.newUser();
    project = db.newProject(owner);
    otherProject = db.newProject(stranger);
    db.addMember(project, editor, "editor");
    db.addMember(project, viewer, "viewer");
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "a", "text", null));
    db.asUser(stranger, c -> Db.upsert(c, otherProject, "secret.txt", "s", "text", null));
    db.database.createLoginRole("acc_gateway", "pw", "preview_operator");
    db.database.createLoginRole("acc_backend", "pw", "service_role");
    db.database.createLoginRole("acc_authenticator", "pw", "authenticated");
    db.database.createLoginRole("acc_nobody", "pw");
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  static List<Map<String, Object>> list(Connection c, UUID p) throws SQLException {
    return Db.query(c, "select * from list_current_files(?)", p);
  }

  @Test
  void membersReadThroughTheRpcsOthersAreRefused() throws Exception {
    for (UUID reader : List.of(owner, editor, viewer)) {
      assertThat(db.userRows(reader, c -> list(c, project)))
          .extracting(r -> r.get("file_path"))
          .containsExactly("a.txt");
      assertThat(
              db.userRows(
                  reader, c -> Db.query(c, "select * from project_changes_since(?, 0)", project)))
          .hasSize(1);
    }
    assertFails(
        "PT403",
        "user " + stranger + " is not a member of project " + project,
        () -> db.asUser(stranger, c -> list(c, project)));
    assertFails(
        "PT403", "is not a member of project", () -> db.asUser(viewer, c -> list(c, otherProject)));
    assertFails(
        "42501",
        "permission denied for function list_current_files",
        () -> db.asAnon(c -> list(c, project)));
    // authenticated without a sub is anonymous
    assertFails(
        "PT403",
        "project " + project + " is not accessible without signing in",
        () -> db.as("authenticated", "{\"role\":\"authenticated\"}", c -> list(c, project)));
  }

  @Test
  void ownersAndEditorsWriteThroughTheRpcsOthersAreRefused() throws Exception {
    db.asUser(editor, c -> Db.upsert(c, project, "by-editor.txt", "e", "text", null));
    db.asUser(owner, c -> Db.upsert(c, project, "by-owner.txt", "o", "text", null));
    Db.State before = db.state(project);
    assertFails(
        "PT403",
        "user " + viewer + " is a viewer of project " + project + " and may not change its files",
        () -> db.asUser(viewer, c -> Db.upsert(c, project, "v.txt", "v", "text", null)));
    assertFails(
        "PT403", "is a viewer", () -> db.asUser(viewer, c -> Db.delete(c, project, "a.txt", null)));
    assertFails(
        "PT403",
        "is a viewer",
        () ->
            db.asUser(
                viewer,
                c ->
                    Db.bulk(
                        c,
                        project,
                        "[{\"file_path\":\"v\",\"file_type\":\"text\",\"content\":\"v\"}]")));
    assertFails(
        "PT403",
        "user " + stranger + " is not a member of project " + project,
        () -> db.asUser(stranger, c -> Db.upsert(c, project, "s.txt", "s", "text", null)));
    assertFails(
        "42501",
        "permission denied for function upsert_project_file",
        () -> db.asAnon(c -> Db.upsert(c, project, "x.txt", "x", "text", null)));
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void directTableReadsFollowMembershipAndDirectWritesAreDenied() throws Exception {
    for (UUID reader : List.of(owner, editor, viewer)) {
      assertThat(db.userRows(reader, c -> Db.query(c, "select project_id from project_files")))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r).containsEntry("project_id", project));
      assertThat(
              db.userRows(reader, c -> Db.query(c, "select project_id from project_file_events")))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r).containsEntry("project_id", project));
      assertThat(db.userRows(reader, c -> Db.query(c, "select id from projects")))
          .containsExactly(Map.of("id", project));
    }
    assertThat(
            db.userRows(
                stranger,
                c -> Db.query(c, "select distinct project_id from project_files_current")))
        .containsExactly(Map.of("project_id", otherProject));
    assertThat(db.userRows(stranger, c -> Db.query(c, "select user_id from project_members")))
        .isEmpty();
    assertThat(db.userRows(viewer, c -> Db.query(c, "select id from user_profiles")))
        .containsExactly(Map.of("id", viewer));
    Db.State before = db.state(project);
    String[] writes = {
      "insert into project_files(project_id, file_path, file_type, created_by) values ('"
          + project
          + "', 'x', 'text', '"
          + owner
          + "')",
      "update project_files set content = 'hacked'",
      "delete from project_files",
      "insert into project_file_events(project_id, revision, event_type) values ('"
          + project
          + "', 99, 'file:update')",
      "delete from project_file_events",
      "update projects set revision = 42",
      "insert into preview_session_acks(session_uid, project_id, revision) values ('s', '"
          + project
          + "', 1)",
    };
    for (UUID user : List.of(owner, editor)) {
      for (String sql : writes) {
        assertFails(
            "42501", "permission denied for table", () -> db.asUser(user, c -> update(c, sql)));
      }
    }
    for (String sql : writes) {
      assertFails("42501", "permission denied for table", () -> db.asAnon(c -> update(c, sql)));
      assertFails("42501", "permission denied for table", () -> db.asService(c -> update(c, sql)));
    }
    assertFails(
        "42501",
        "permission denied for table project_files",
        () -> db.asAnon(c -> Db.query(c, "select * from project_files")));
    assertThat(db.state(project)).isEqualTo(before);
    // what owners may do directly: rename the project and manage members
    db.asUser(
        owner, c -> update(c, "update projects set name = 'renamed' where id = '" + project + "'"));
    assertFails(
        "42501",
        "new row violates row-level security policy",
        () ->
            db.asUser(
                editor,
                c ->
                    update(
                        c,
                        "insert into project_members values ('"
                            + project
                            + "', '"
                            + stranger
                            + "', 'editor')")));
  }

  @Test
  void revisionCannotBeChangedDirectlyEvenWithATableGrant() throws Exception {
    db.update("grant update on projects to service_role");
    try {
      assertFails(
          "PT403",
          "projects.revision is maintained by the file RPCs and cannot be changed directly",
          () ->
              db.asService(
                  c -> update(c, "update projects set revision = 0 where id = '" + project + "'")));
    } finally {
      db.update("revoke update on projects from service_role");
      db.update("grant update (name) on projects to service_role");
    }
  }

  @Test
  void serviceRoleReadsAndWritesAnyProject() throws Exception {
    var row = db.asService(c -> Db.upsert(c, otherProject, "svc.txt", "s", "text", null));
    assertThat(row).containsEntry("created_by", stranger);
    assertThat(db.serviceRows(c -> list(c, otherProject))).hasSize(2);
    try (Connection c = db.database.dataSource("acc_backend", "pw").getConnection()) {
      assertThat(
              Db.query(
                  c,
                  "select * from upsert_project_file(?, 'login.txt', 'l', 'text')",
                  otherProject))
          .singleElement()
          .satisfies(r -> assertThat(r).containsEntry("created_by", stranger));
    }
  }

  @Test
  void operatorReadsEverythingItNeedsAndWritesOnlyAcks() throws Exception {
    try (Connection c = db.database.dataSource("acc_gateway", "pw").getConnection()) {
      assertThat(list(c, project)).isNotEmpty();
      assertThat(list(c, otherProject)).isNotEmpty();
      assertThat(Db.query(c, "select * from project_changes_since(?, 0)", otherProject))
          .isNotEmpty();
      assertThat(Db.query(c, "select count(*) n from project_files"))
          .first()
          .satisfies(r -> assertThat((Long) r.get("n")).isGreaterThanOrEqualTo(2));
      assertThat(Db.query(c, "select distinct project_id from project_file_events"))
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(Db.query(c, "select id, revision from projects")).hasSizeGreaterThanOrEqualTo(2);
      assertThat(
              Db.query(
                  c, "select file_path from project_files_current where project_id = ?", project))
          .isNotEmpty();
      update(
          c,
          "insert into preview_session_acks(session_uid, project_id, revision) values ('uid-1', '"
              + project
              + "', 1)"
              + " on conflict (session_uid) do update set revision = excluded.revision, acked_at = now()");
      update(
          c,
          "insert into preview_session_acks(session_uid, project_id, revision) values ('uid-1', '"
              + project
              + "', 2)"
              + " on conflict (session_uid) do update set revision = excluded.revision, acked_at = now()");
      assertThat(Db.query(c, "select revision from preview_session_acks"))
          .containsExactly(Map.of("revision", 2L));

      Db.State before = db.state(project);
      assertFails(
          "42501",
          "permission denied for function upsert_project_file",
          () -> Db.query(c, "select * from upsert_project_file(?, 'x', 'x', 'text')", project));
      assertFails(
          "42501",
          "permission denied for function delete_project_file",
          () -> Db.query(c, "select * from delete_project_file(?, 'a.txt')", project));
      assertFails(
          "42501",
          "permission denied for function bulk_upsert_project_files",
          () -> Db.query(c, "select * from bulk_upsert_project_files(?, '[]')", project));
      assertFails(
          "42501",
          "permission denied for function register_binary_file",
          () -> Db.query(c, "select * from register_binary_file(?, 'x', 'x', 1, 'png')", project));
      for (String sql :
          new String[] {
            "insert into project_files(project_id, file_path, file_type, created_by) values ('"
                + project
                + "', 'x', 'text', '"
                + owner
                + "')",
            "update project_files set content = 'x'",
            "delete from project_file_events",
            "update projects set name = 'x'",
            "delete from preview_session_acks",
            "select * from project_members",
            "select * from user_profiles",
            "select * from preview_private.settings",
          }) {
        assertFails("42501", "permission denied", () -> update(c, sql));
      }
      // a claims role the login was never granted is refused
      Db.query(c, "select set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false)");
      assertFails(
          "PT403",
          "the claims role 'service_role' is not granted to the login role acc_gateway",
          () -> list(c, project));
      assertThat(db.state(project)).isEqualTo(before);
    }
  }

  @Test
  void anAuthenticatorLoginActsAsTheUserOfItsClaims() throws Exception {
    try (Connection c = db.database.dataSource("acc_authenticator", "pw").getConnection()) {
      c.setAutoCommit(false);
      Db.query(
          c,
          "select set_config('request.jwt.claims', ?, true)",
          "{\"role\":\"authenticated\",\"sub\":\"" + viewer + "\"}");
      update(c, "set local role authenticated");
      assertThat(list(c, project)).isNotEmpty();
      assertFails("PT403", "is a viewer", () -> Db.upsert(c, project, "v.txt", "v", "text", null));
      c.rollback();
      Db.query(
          c, "select set_config('request.jwt.claims', ?, true)", "{\"role\":\"service_role\"}");
      assertFails(
          "PT403",
          "the claims role 'service_role' is not granted to the login role acc_authenticator",
          () -> list(c, project));
      c.rollback();
    }
    try (Connection c = db.database.dataSource("acc_nobody", "pw").getConnection()) {
      assertFails(
          "42501", "permission denied for function list_current_files", () -> list(c, project));
    }
  }

  @Test
  void malformedClaimsAreBadInput() throws Exception {
    assertFails(
        "PT400",
        "the sub claim 'not-a-uuid' is not a user uuid",
        () ->
            db.as(
                "authenticated",
                "{\"role\":\"authenticated\",\"sub\":\"not-a-uuid\"}",
                c -> list(c, project)));
    assertFails(
        "PT400",
        "request.jwt.claims is not valid JSON",
        () -> db.as("authenticated", "{nope", c -> list(c, project)));
  }

  static int update(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
      return st.getUpdateCount();
    }
  }
}
