package dev.velocity.preview.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SmokeIT {
  static final Db db = Db.migrated();

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void writeListReplay() throws Exception {
    UUID owner = db.newUser();
    UUID project = db.newProject(owner);
    var row =
        db.asUser(owner, c -> Db.upsert(c, project, "src/App.tsx", "hello", "typescript", null));
    assertThat(row.get("version")).isEqualTo(1);
    db.asUser(owner, c -> Db.upsert(c, project, "src/App.tsx", "hello2", "typescript", 1));
    db.asUser(
        owner,
        c ->
            Db.bulk(
                c,
                project,
                "[{\"file_path\":\"a.txt\",\"file_type\":\"text\",\"content\":\"A\"},{\"file_path\":\"src/App.tsx\",\"delete\":true}]"));
    var files = db.asUser(owner, c -> Db.query(c, "select * from list_current_files(?)", project));
    assertThat(files).hasSize(1);
    var changes =
        db.asService(c -> Db.query(c, "select * from project_changes_since(?, 0)", project));
    assertThat(changes).extracting(m -> m.get("revision")).containsExactly(1L, 2L, 3L, 3L);
  }
}
