package dev.velocity.preview.sql;

import static dev.velocity.preview.sql.Db.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Totally ordered writes under contention, and the per-user write rate limit. */
class ConcurrencyAndRateLimitIT {
  static final Db db = Db.migrated();

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void eightWritersTimesTwoHundredGiveDenseRevisionsAndVersions() throws Exception {
    UUID owner = db.newUser();
    UUID project = db.newProject(owner);
    db.setting("rate_limit_writes", 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int writer = t;
        done.add(
            pool.submit(
                () -> {
                  try (Connection c = db.superuser.getConnection()) {
                    try (Statement st = c.createStatement()) {
                      st.execute("set role authenticated");
                      st.execute(
                          "set request.jwt.claims = '{\"role\":\"authenticated\",\"sub\":\""
                              + owner
                              + "\"}'");
                    }
                    try (PreparedStatement ps =
                        c.prepareStatement(
                            "select version from upsert_project_file(?, ?, ?, 'text')")) {
                      for (int i = 0; i < 200; i++) {
                        ps.setObject(1, project);
                        ps.setString(2, "src/f" + ((writer + i) % 10) + ".txt");
                        ps.setString(3, "writer " + writer + " write " + i);
                        ps.executeQuery().close();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      db.setting("rate_limit_writes", 300);
    }
    assertThat(db.state(project)).isEqualTo(new Db.State(1600, 1600, 1600));
    List<Long> revisions =
        db
            .query(
                "select revision from project_file_events where project_id = ? order by 1", project)
            .stream()
            .map(r -> (Long) r.get("revision"))
            .toList();
    assertThat(revisions).isEqualTo(LongStream.rangeClosed(1, 1600).boxed().toList());
    assertThat(
            db.query("select distinct revision from project_files where project_id = ?", project))
        .hasSize(1600);
    // per path: versions 1..n without gaps, exactly one current, the newest
    var perPath =
        db.query(
            "select file_path, count(*) n, min(version) lo, max(version) hi,"
                + " count(*) filter (where is_current_version) cur,"
                + " max(version) filter (where is_current_version) cur_v"
                + " from project_files where project_id = ? group by file_path",
            project);
    assertThat(perPath)
        .hasSize(10)
        .allSatisfy(
            r -> {
              assertThat(r.get("lo")).isEqualTo(1);
              assertThat(((Number) r.get("hi")).longValue()).isEqualTo((Long) r.get("n"));
              assertThat(r.get("cur")).isEqualTo(1L);
              assertThat(r.get("cur_v")).isEqualTo(r.get("hi"));
            });
    // every version's parent is the version before it
    assertThat(
            db.scalar(
                "select count(*) from project_files f join project_files p on p.id = f.parent_version_id"
                    + " where f.project_id = ? and p.version <> f.version - 1",
                project))
        .isZero();
  }

  @Test
  void aRunawayWriterIsStoppedOthersGoOn() throws Exception {
    UUID owner = db.newUser();
    UUID other = db.newUser();
    UUID project = db.newProject(owner);
    UUID otherProject = db.newProject(other);
    db.setting("rate_limit_writes", 5);
    db.setting("rate_limit_window_seconds", 3600);
    try {
      for (int i = 0; i < 4; i++) {
        int n = i;
        db.asUser(owner, c -> Db.upsert(c, project, "f.txt", "v" + n, "text", null));
      }
      // a bulk call counts once
      db.asUser(
          owner,
          c ->
              Db.bulk(
                  c,
                  project,
                  "[{\"file_path\":\"a\",\"file_type\":\"text\",\"content\":\"a\"},{\"file_path\":\"b\",\"file_type\":\"text\",\"content\":\"b\"}]"));
      Db.State before = db.state(project);
      assertFails(
          "PT429",
          "rate limit exceeded: at most 5 writes per 3600 seconds; retry in ",
          () -> db.asUser(owner, c -> Db.upsert(c, project, "f.txt", "v5", "text", null)));
      assertFails(
          "PT429",
          "rate limit exceeded",
          () -> db.asUser(owner, c -> Db.delete(c, project, "a", null)));
      assertThat(db.state(project)).isEqualTo(before);
      // reads are not limited, nor are other users
      assertThat(
              db.userRows(owner, c -> Db.query(c, "select * from list_current_files(?)", project)))
          .hasSize(3);
      db.asUser(other, c -> Db.upsert(c, otherProject, "x.txt", "x", "text", null));
      // raising the limit lets the writer go on at once
      db.setting("rate_limit_writes", 1000);
      db.asUser(owner, c -> Db.upsert(c, project, "f.txt", "v5", "text", null));
      assertThat(
              db.query(
                  "select version from project_files_current where project_id = ? and file_path = 'f.txt'",
                  project))
          .containsExactly(Map.of("version", 5));
    } finally {
      db.setting("rate_limit_writes", 300);
      db.setting("rate_limit_window_seconds", 10);
    }
  }
}
