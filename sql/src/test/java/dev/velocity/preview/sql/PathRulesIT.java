package dev.velocity.preview.sql;

import static dev.velocity.preview.sql.Db.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.protocol.PathRules;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** The SQL path rules agree with protocol's PathRules, rule for rule and message for message. */
class PathRulesIT {
  static final Db db = Db.migrated();
  static UUID owner;
  static UUID project;

  static final List<String> HOSTILE =
      List.of(
          "",
          "/etc/passwd",
          "/",
          "//double",
          "../x",
          "a/../../x",
          "a/b/..",
          "..",
          ".",
          "./a",
          "a/./b",
          "a//b",
          "a/",
          "a\\b",
          "..\\..\\windows\\system32",
          "a\u0001b",
          "tab\there",
          "new\nline",
          "carriage\rreturn",
          "a\u001fb",
          "esc/\u001b[31mred",
          "del\u007f",
          "c1\u0080x",
          "c1\u0085next-line",
          "c1\u009f",
          "x".repeat(1025),
          "é".repeat(513),
          "a/" + "s".repeat(256),
          "ü".repeat(128) + "/x",
          "ok/../../../etc/shadow");

  static final List<String> LEGAL =
      List.of(
          "ünïcödé/文件.txt",
          "with space/file name.txt",
          "emoji/😀.txt",
          "...",
          "a/..b/c..",
          ".hidden",
          "src/.env.local",
          "name with trailing space ",
          "~/tilde",
          "C:/colon",
          "%2e%2e/percent",
          "-dash",
          "x".repeat(255),
          String.join("/", "a".repeat(255), "b".repeat(255), "c".repeat(255), "d".repeat(255)),
          "ü".repeat(127) + "x");

  @BeforeAll
  static void setUp() throws Exception {
    owner = db.newUser();
    project = db.newProject(owner);
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void hostilePathsAreRejectedWithTheProtocolsReason() throws Exception {
    assertThat(HOSTILE).hasSizeGreaterThanOrEqualTo(25);
    Db.State before = db.state(project);
    for (String path : HOSTILE) {
      String reason =
          PathRules.violation(path).orElseThrow(() -> new AssertionError("legal: " + path));
      PSQLException e =
          assertFails(
              "PT400",
              "invalid file path ",
              () -> db.asUser(owner, c -> Db.upsert(c, project, path, "x", "text", null)));
      assertThat(e.getServerErrorMessage().getMessage())
          .as("path %s", path)
          .endsWith(": " + reason);
      assertFails(
          "PT400", ": " + reason, () -> db.asUser(owner, c -> Db.delete(c, project, path, null)));
      assertFails(
          "PT400",
          ": " + reason,
          () ->
              db.asUser(
                  owner,
                  c ->
                      Db.query(
                          c,
                          "select * from bulk_upsert_project_files(?, jsonb_build_array(jsonb_build_object("
                              + "'file_path', ?::text, 'file_type', 'text', 'content', 'x')))",
                          project,
                          path)));
    }
    assertThat(db.state(project)).isEqualTo(before);
  }

  @Test
  void sqlReasonEqualsTheProtocolReasonForEveryPath() throws Exception {
    for (String path : concat(HOSTILE, LEGAL)) {
      var row = db.query("select preview_private.path_violation(?) why", path).get(0);
      assertThat(row.get("why"))
          .as("path %s", path)
          .isEqualTo(PathRules.violation(path).orElse(null));
    }
  }

  @Test
  void unusualLegalPathsAreAccepted() throws Exception {
    for (String path : LEGAL) {
      assertThat(PathRules.isValid(path)).as(path).isTrue();
      db.asUser(owner, c -> Db.upsert(c, project, path, "ok", "text", null));
    }
    var listed =
        db.userRows(
            owner, c -> Db.query(c, "select file_path from list_current_files(?)", project));
    assertThat(listed.stream().map(r -> r.get("file_path")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(LEGAL);
  }

  @Test
  void nulNeverReachesTheFunction() throws Exception {
    Db.State before = db.state(project);
    assertFails(
        "22021",
        "invalid byte sequence for encoding \"UTF8\": 0x00",
        () -> db.asUser(owner, c -> Db.upsert(c, project, "a\u0000b", "x", "text", null)));
    assertThat(db.state(project)).isEqualTo(before);
    assertThat(db.query("select count(*) n from project_files where file_path like 'a%b'"))
        .containsExactly(Map.of("n", 0L));
  }

  static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
