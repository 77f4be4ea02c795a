package dev.velocity.preview.sql;

import static dev.velocity.preview.sql.Db.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.protocol.ContentHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** upsert_project_file, delete_project_file, register_binary_file: happy paths and errors. */
class FileRpcIT {
  static final Db db = Db.migrated();

  UUID owner;
  UUID project;

  @AfterAll
  static void drop() {
    db.close();
  }

  @BeforeEach
  void project() throws Exception {
    owner = db.newUser();
    project = db.newProject(owner);
  }

  @Test
  void upsertCreatesVersionsBumpsRevisionAndLogsEvents() throws Exception {
    var first =
        db.asUser(owner, c -> Db.upsert(c, project, "src/App.tsx", "héllo", "typescript", null));
    assertThat(first)
        .containsEntry("version", 1)
        .containsEntry("file_type", "typescript")
        .containsEntry("content", "héllo")
        .containsEntry("content_hash", ContentHash.sha256Hex("héllo"))
        .containsEntry("size_bytes", (long) "héllo".getBytes(StandardCharsets.UTF_8).length)
        .containsEntry("is_current_version", true)
        .containsEntry("is_deleted", false)
        .containsEntry("created_by", owner)
        .containsEntry("last_modified_by", owner)
        .containsEntry("revision", 1L);
    assertThat(first.get("parent_version_id")).isNull();

    var second = db.asUser(owner, c -> Db.upsert(c, project, "src/App.tsx", "v2", "typescript", 1));
    assertThat(second).containsEntry("version", 2).containsEntry("revision", 2L);
    assertThat(second.get("parent_version_id")).isEqualTo(first.get("id"));

    assertThat(db.state(project)).isEqualTo(new Db.State(2, 2, 2));
    assertThat(
            db.query("select is_current_version from project_files where id = ?", first.get("id")))
        .containsExactly(Map.of("is_current_version", false));
    var events =
        db.query(
            "select revision, event_type, file_path, version, content_hash, file_id, actor, manifest"
                + " from project_file_events where project_id = ? order by revision",
            project);
    assertThat(events).hasSize(2);
    assertThat(events.get(1))
        .containsEntry("revision", 2L)
        .containsEntry("event_type", "file:update")
        .containsEntry("file_path", "src/App.tsx")
        .containsEntry("version", 2)
        .containsEntry("content_hash", ContentHash.sha256Hex("v2"))
        .containsEntry("file_id", second.get("id"))
        .containsEntry("actor", owner);
    assertThat(events.get(1).get("manifest")).isNull();
  }

  @Test
  void identicalContentIsANoOp() throws Exception {
    try (Doorbell bell = new Doorbell(db.superuser, project)) {
      var head = db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "same", "text", null));
      assertThat(bell.drain(300)).containsExactly("{\"revision\":1,\"type\":\"file:update\"}");
      var again = db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "same", "text", null));
      assertThat(again.get("id")).isEqualTo(head.get("id"));
      assertThat(db.state(project)).isEqualTo(new Db.State(1, 1, 1));
      assertThat(bell.drain(300)).isEmpty();
      // same content, another type: a change
      var retyped = db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "same", "markdown", null));
      assertThat(retyped).containsEntry("version", 2).containsEntry("file_type", "markdown");
      assertThat(bell.drain(300)).containsExactly("{\"revision\":2,\"type\":\"file:update\"}");
    }
  }

  @Test
  void versionCheckComesBeforeTheNoOpCheck() throws Exception {
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "x", "text", null));
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "y", "text", null));
    Db.State before = db.state(project);
    var e =
        assertFails(
            "PT409",
            "a.txt is at version 2, not the expected version 1; reload and retry",
            () -> db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "y", "text", 1)));
    assertThat(e.getServerErrorMessage().getDetail()).isEqualTo("current_version=2");
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void expectedVersionZeroMeansMustNotExist() throws Exception {
    var created = db.asUser(owner, c -> Db.upsert(c, project, "new.txt", "1", "text", 0));
    assertThat(created).containsEntry("version", 1);
    Db.State before = db.state(project);
    assertFails(
        "PT409",
        "new.txt is at version 1, not the expected version 0",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "new.txt", "2", "text", 0)));
    assertFails(
        "PT409",
        "missing.txt does not exist in project " + project + " (expected version 3)",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "missing.txt", "2", "text", 3)));
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void deleteWritesATombstoneAndRecreateContinuesTheVersions() throws Exception {
    db.asUser(owner, c -> Db.upsert(c, project, "gone.txt", "x", "text", null));
    Map<String, Object> tomb;
    try (Doorbell bell = new Doorbell(db.superuser, project)) {
      tomb = db.asUser(owner, c -> Db.delete(c, project, "gone.txt", 1));
      assertThat(tomb)
          .containsEntry("version", 2)
          .containsEntry("is_deleted", true)
          .containsEntry("is_current_version", true)
          .containsEntry("file_type", "text")
          .containsEntry("revision", 2L);
      assertThat(tomb.get("content")).isNull();
      assertThat(tomb.get("content_hash")).isNull();
      assertThat(bell.drain(300)).containsExactly("{\"revision\":2,\"type\":\"file:delete\"}");
    }
    List<Map<String, Object>> listed =
        db.asUser(owner, c -> Db.query(c, "select * from list_current_files(?)", project));
    assertThat(listed).isEmpty();
    assertThat(
            db.scalar("select count(*) from project_files_current where project_id = ?", project))
        .isZero();
    Db.State before = db.state(project);
    assertFails(
        "PT404",
        "gone.txt does not exist in project " + project,
        () -> db.asUser(owner, c -> Db.delete(c, project, "gone.txt", null)));
    assertFails(
        "PT409",
        "gone.txt was deleted at version 2 (expected version 1)",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "gone.txt", "back", "text", 1)));
    assertThat(db.state(project)).isEqualTo(before);
    // a tombstone's head matches 0 and its own version
    var back = db.asUser(owner, c -> Db.upsert(c, project, "gone.txt", "back", "text", 0));
    assertThat(back)
        .containsEntry("version", 3)
        .containsEntry("parent_version_id", tomb.get("id"))
        .containsEntry("is_deleted", false);
  }

  @Test
  void deleteErrors() throws Exception {
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "x", "text", null));
    Db.State before = db.state(project);
    assertFails(
        "PT404",
        "never.txt does not exist in project " + project,
        () -> db.asUser(owner, c -> Db.delete(c, project, "never.txt", null)));
    assertFails(
        "PT409",
        "a.txt is at version 1, not the expected version 5",
        () -> db.asUser(owner, c -> Db.delete(c, project, "a.txt", 5)));
    assertFails(
        "PT400",
        "invalid file path '../a.txt': path has a '..' segment",
        () -> db.asUser(owner, c -> Db.delete(c, project, "../a.txt", null)));
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void badInputIsRejectedAndNothingWritten() throws Exception {
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "x", "text", null));
    Db.State before = db.state(project);
    assertFails(
        "PT400",
        "content of b.txt is null; register a binary file with register_binary_file",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "b.txt", null, "text", null)));
    assertFails(
        "PT400",
        "file_type 'Type Script' is not valid",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "b.txt", "x", "Type Script", null)));
    assertFails(
        "PT400",
        "file_type is empty",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "b.txt", "x", "", null)));
    assertFails(
        "PT400",
        "expected_version must be NULL, 0 or a version, got -1",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "b.txt", "x", "text", -1)));
    assertFails(
        "PT400",
        "project_uuid is required",
        () -> db.asUser(owner, c -> Db.upsert(c, null, "b.txt", "x", "text", null)));
    UUID nowhere = UUID.randomUUID();
    assertFails(
        "PT404",
        "project " + nowhere + " does not exist",
        () -> db.asUser(owner, c -> Db.upsert(c, nowhere, "b.txt", "x", "text", null)));
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void contentOverTheLimitIsRejected() throws Exception {
    String limit = "x".repeat(10 * 1024 * 1024);
    var row = db.asUser(owner, c -> Db.upsert(c, project, "big.txt", limit, "text", null));
    assertThat(row).containsEntry("size_bytes", 10L * 1024 * 1024);
    Db.State before = db.state(project);
    assertFails(
        "PT413",
        "big.txt is 10485761 bytes, over the limit of 10485760 bytes per file",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "big.txt", limit + "y", "text", null)));
    // multi-byte characters count as UTF-8 bytes
    String accents = "é".repeat(5 * 1024 * 1024) + "é";
    assertFails(
        "PT413",
        "big2.txt is 10485762 bytes",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "big2.txt", accents, "text", null)));
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void bigFileRingsASmallDoorbellAndReplaysItsContent() throws Exception {
    String fiveMiB = "0123456789abcdef".repeat(5 * 1024 * 1024 / 16);
    try (Doorbell bell = new Doorbell(db.superuser, project)) {
      db.asUser(owner, c -> Db.upsert(c, project, "assets/big.json", fiveMiB, "json", null));
      List<String> payloads = bell.drain(300);
      assertThat(payloads).containsExactly("{\"revision\":1,\"type\":\"file:update\"}");
      assertThat(payloads.get(0).getBytes(StandardCharsets.UTF_8).length).isLessThan(200);
    }
    var changes =
        db.asUser(owner, c -> Db.query(c, "select * from project_changes_since(?, 0)", project));
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0))
        .containsEntry("revision", 1L)
        .containsEntry("event_type", "file:update")
        .containsEntry("file_path", "assets/big.json")
        .containsEntry("content_hash", ContentHash.sha256Hex(fiveMiB));
    assertThat((String) changes.get(0).get("content")).isEqualTo(fiveMiB);
  }

  @Test
  void binaryFilesCarryAHashAndNoContent() throws Exception {
    String hash = ContentHash.sha256Hex(new byte[] {1, 2, 3});
    var row =
        db.asUser(
            owner,
            c ->
                Db.query(
                        c,
                        "select * from register_binary_file(?, 'img/logo.png', ?, 3, 'png')",
                        project,
                        hash)
                    .get(0));
    assertThat(row)
        .containsEntry("content_hash", hash)
        .containsEntry("size_bytes", 3L)
        .containsEntry("file_type", "png")
        .containsEntry("version", 1);
    assertThat(row.get("content")).isNull();
    // registering the same object again is a no-op
    db.asUser(
        owner,
        c ->
            Db.query(
                c,
                "select * from register_binary_file(?, 'img/logo.png', ?, 3, 'png')",
                project,
                hash));
    assertThat(db.state(project)).isEqualTo(new Db.State(1, 1, 1));
    var listed = db.asUser(owner, c -> Db.query(c, "select * from list_current_files(?)", project));
    assertThat(listed)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("content")).isNull();
              assertThat(f.get("content_hash")).isEqualTo(hash);
            });
    Db.State before = db.state(project);
    assertFails(
        "PT400",
        "content_hash 'ABC' is not a lower-case hex sha256 (64 characters)",
        () ->
            db.asUser(
                owner,
                c ->
                    Db.query(
                        c,
                        "select * from register_binary_file(?, 'x.png', 'ABC', 3, 'png')",
                        project)));
    assertFails(
        "PT400",
        "size_bytes must be a non-negative byte count, got -1",
        () ->
            db.asUser(
                owner,
                c ->
                    Db.query(
                        c,
                        "select * from register_binary_file(?, 'x.png', ?, -1, 'png')",
                        project,
                        hash)));
    assertFails(
        "PT413",
        "x.png is 10485761 bytes, over the limit of 10485760 bytes per file",
        () ->
            db.asUser(
                owner,
                c ->
                    Db.query(
                        c,
                        "select * from register_binary_file(?, 'x.png', ?, 10485761, 'png')",
                        project,
                        hash)));
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void serviceRoleWritesAreAttributedToTheOwner() throws Exception {
    var row = db.asService(c -> Db.upsert(c, project, "gen.ts", "x", "typescript", null));
    assertThat(row).containsEntry("created_by", owner).containsEntry("last_modified_by", owner);
    UUID editor = db.newUser();
    var asUser =
        db.as(
            "service_role",
            "{\"role\":\"service_role\",\"sub\":\"" + editor + "\"}",
            c -> Db.upsert(c, project, "gen.ts", "y", "typescript", null));
    assertThat(asUser).containsEntry("created_by", editor);
  }

  @Test
  void serviceRoleWritingForAnUnknownUserIsBadInput() throws Exception {
    UUID ghost = UUID.randomUUID();
    assertFails(
        "PT400",
        "the sub claim names user " + ghost + ", who has no user_profiles row",
        () ->
            db.as(
                "service_role",
                "{\"role\":\"service_role\",\"sub\":\"" + ghost + "\"}",
                c -> Db.upsert(c, project, "x.txt", "x", "text", null)));
    assertThat(db.state(project)).isEqualTo(new Db.State(0, 0, 0));
  }
}
