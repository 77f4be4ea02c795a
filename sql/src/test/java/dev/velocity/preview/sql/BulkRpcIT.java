package dev.velocity.preview.sql;

import static dev.velocity.preview.sql.Db.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.protocol.ContentHash;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bulk_upsert_project_files: all or nothing, one revision, one event, one doorbell. */
class BulkRpcIT {
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

  static String files(int n, String prefix) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"file_path\":\"src/")
          .append(prefix)
          .append(i)
          .append(".ts\",\"file_type\":\"typescript\",\"content\":\"export const x")
          .append(i)
          .append(" = ")
          .append(i)
          .append(";\"}");
    }
    return json.append(']').toString();
  }

  @Test
  void fiveHundredFilesAreOneRevisionOneEventOneDoorbell() throws Exception {
    try (Doorbell bell = new Doorbell(db.superuser, project)) {
      List<Map<String, Object>> rows = db.asUser(owner, c -> Db.bulk(c, project, files(500, "f")));
      assertThat(rows).hasSize(500).allSatisfy(r -> assertThat(r).containsEntry("revision", 1L));
      assertThat(bell.drain(500)).containsExactly("{\"revision\":1,\"type\":\"bulk:apply\"}");
    }
    assertThat(db.state(project)).isEqualTo(new Db.State(1, 500, 1));
    var event =
        db.query(
            "select event_type, jsonb_array_length(manifest) n, manifest->0 first, file_path"
                + " from project_file_events where project_id = ?",
            project);
    assertThat(event)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("event_type", "bulk:apply").containsEntry("n", 500);
              assertThat(e.get("file_path")).isNull();
              assertThat(e.get("first").toString())
                  .contains(
                      "\"op\": \"upsert\"",
                      "\"file_path\": \"src/f0.ts\"",
                      "\"version\": 1",
                      ContentHash.sha256Hex("export const x0 = 0;"));
            });
    var replay =
        db.asUser(owner, c -> Db.query(c, "select * from project_changes_since(?, 0)", project));
    assertThat(replay)
        .hasSize(500)
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("revision", 1L)
                    .containsEntry("event_type", "bulk:apply"));
    assertThat(replay.get(0))
        .containsEntry("file_path", "src/f0.ts")
        .containsEntry("content", "export const x0 = 0;");
  }

  @Test
  void mixedUpsertDeleteAndNoOpItems() throws Exception {
    db.asUser(owner, c -> Db.upsert(c, project, "keep.txt", "same", "text", null));
    db.asUser(owner, c -> Db.upsert(c, project, "drop.txt", "bye", "text", null));
    String bin = ContentHash.sha256Hex(new byte[] {9});
    var rows =
        db.asUser(
            owner,
            c ->
                Db.bulk(
                    c,
                    project,
                    "["
                        + "{\"file_path\":\"keep.txt\",\"file_type\":\"text\",\"content\":\"same\"},"
                        + "{\"file_path\":\"drop.txt\",\"delete\":true,\"expected_version\":1},"
                        + "{\"file_path\":\"new.txt\",\"file_type\":\"text\",\"content\":\"n\",\"expected_version\":0},"
                        + "{\"file_path\":\"img.png\",\"file_type\":\"png\",\"content_hash\":\""
                        + bin
                        + "\",\"size_bytes\":1}]"));
    assertThat(rows)
        .extracting(
            r -> r.get("file_path"),
            r -> r.get("version"),
            r -> r.get("is_deleted"),
            r -> r.get("revision"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("drop.txt", 2, true, 3L),
            org.assertj.core.groups.Tuple.tuple("img.png", 1, false, 3L),
            org.assertj.core.groups.Tuple.tuple("keep.txt", 1, false, 1L),
            org.assertj.core.groups.Tuple.tuple("new.txt", 1, false, 3L));
    assertThat(db.state(project)).isEqualTo(new Db.State(3, 5, 3));
    var replay =
        db.asUser(owner, c -> Db.query(c, "select * from project_changes_since(?, 2)", project));
    assertThat(replay)
        .extracting(r -> r.get("file_path"))
        .containsExactly("drop.txt", "img.png", "new.txt");
  }

  @Test
  void allNoOpBulkChangesNothing() throws Exception {
    db.asUser(owner, c -> Db.bulk(c, project, files(3, "n")));
    try (Doorbell bell = new Doorbell(db.superuser, project)) {
      var rows = db.asUser(owner, c -> Db.bulk(c, project, files(3, "n")));
      assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r).containsEntry("version", 1));
      assertThat(bell.drain(300)).isEmpty();
    }
    assertThat(db.state(project)).isEqualTo(new Db.State(1, 3, 1));
  }

  @Test
  void oneBadItemWritesNothingAndUsesNoRevision() throws Exception {
    db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "x", "text", null));
    Db.State before = db.state(project);
    String good = "{\"file_path\":\"ok.txt\",\"file_type\":\"text\",\"content\":\"ok\"}";
    String[][] cases = {
      {
        "[" + good + ",{\"file_path\":\"../evil\",\"file_type\":\"text\",\"content\":\"x\"}]",
        "PT400",
        "files[1]: invalid file path '../evil': path has a '..' segment"
      },
      {"[]", "PT400", "files is empty: nothing to apply"},
      {
        "{\"file_path\":\"a\"}",
        "PT400",
        "files must be a JSON array of {file_path, file_type, content} objects"
      },
      {"[" + good + ",\"x\"]", "PT400", "files[1] is not a JSON object"},
      {"[" + good + "," + good + "]", "PT400", "files lists 'ok.txt' more than once"},
      {"[{\"filePath\":\"ok.txt\"}]", "PT400", "files[0] has the unknown key 'filePath'"},
      {"[{\"file_path\":7}]", "PT400", "files[0].file_path must be a string"},
      {
        "[{\"file_path\":\"x\",\"file_type\":\"text\"}]",
        "PT400",
        "files[0].content must be a string"
      },
      {
        "[{\"file_path\":\"x\",\"file_type\":\"TEXT\",\"content\":\"\"}]",
        "PT400",
        "files[0]: file_type 'TEXT' is not valid"
      },
      {
        "[{\"file_path\":\"x\",\"file_type\":\"text\",\"content\":\"\",\"expected_version\":\"1\"}]",
        "PT400",
        "files[0].expected_version must be null or a non-negative integer"
      },
      {
        "[{\"file_path\":\"x\",\"file_type\":\"text\",\"content\":\"\",\"expected_version\":1.5}]",
        "PT400",
        "files[0].expected_version must be null or a non-negative integer"
      },
      {
        "[{\"file_path\":\"x\",\"delete\":\"yes\"}]",
        "PT400",
        "files[0].delete must be true or false"
      },
      {
        "[{\"file_path\":\"x\",\"delete\":true,\"content\":\"c\"}]",
        "PT400",
        "files[0] deletes x and must not carry content"
      },
      {
        "[{\"file_path\":\"x\",\"file_type\":\"png\",\"content_hash\":\"zz\",\"size_bytes\":1}]",
        "PT400",
        "files[0].content_hash is not a lower-case hex sha256"
      },
      {
        "["
            + good
            + ",{\"file_path\":\"a.txt\",\"file_type\":\"text\",\"content\":\"y\",\"expected_version\":7}]",
        "PT409",
        "a.txt is at version 1, not the expected version 7"
      },
      {
        "[" + good + ",{\"file_path\":\"nope.txt\",\"delete\":true}]",
        "PT404",
        "files[1]: nope.txt does not exist in project " + project
      },
    };
    for (String[] c : cases) {
      assertFails(c[1], c[2], () -> db.asUser(owner, conn -> Db.bulk(conn, project, c[0])));
    }
    assertThat(db.state(project)).isEqualTo(before);
    // a later good write still gets the next dense revision
    db.asUser(owner, c -> Db.bulk(c, project, "[" + good + "]"));
    assertThat(db.state(project).revision()).isEqualTo(before.revision() + 1);
  }

  @Test
  void oversizedItemIsPt413() throws Exception {
    db.setting("max_file_bytes", 1000L);
    try {
      String big = "x".repeat(1001);
      assertFails(
          "PT413",
          "files[1] (b.txt) is 1001 bytes, over the limit of 1000 bytes per file",
          () ->
              db.asUser(
                  owner,
                  c ->
                      Db.bulk(
                          c,
                          project,
                          "[{\"file_path\":\"a.txt\",\"file_type\":\"text\",\"content\":\"a\"},"
                              + "{\"file_path\":\"b.txt\",\"file_type\":\"text\",\"content\":\""
                              + big
                              + "\"}]")));
      assertThat(db.state(project)).isEqualTo(new Db.State(0, 0, 0));
    } finally {
      db.setting("max_file_bytes", 10485760L);
    }
  }
}
