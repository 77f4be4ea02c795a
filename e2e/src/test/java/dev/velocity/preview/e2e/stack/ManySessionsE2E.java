package dev.velocity.preview.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.e2e.db.DatabaseException;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.demo.DemoApp;
import dev.velocity.preview.e2e.session.Sessions;
import dev.velocity.preview.e2e.support.StackFixture;
import dev.velocity.preview.e2e.support.StackFixture.Project;
import dev.velocity.preview.e2e.support.StackFixture.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many sessions at once: each converges to its own project only, and none misses a write. */
class ManySessionsE2E {
  private static StackFixture f;

  @BeforeAll
  static void start() {
    f = StackFixture.in("many");
  }

  @AfterAll
  static void stop() {
    f.deleteAllSessions();
  }

  @Test
  void twentySessionsOfOneProjectAndSessionsOfThreeProjectsEachConvergeToTheirOwnProject() {
    Project shared = f.project("shared", DemoApp.files(80, 10));
    List<Project> others =
        List.of(
            f.project("other-a", DemoApp.files(60, 11)),
            f.project("other-b", DemoApp.files(60, 12)),
            f.project("other-c", DemoApp.files(60, 13)));
    Map<String, Project> planned = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      planned.put("shared-" + i, shared);
    }
    for (int i = 0; i < others.size(); i++) {
      planned.put("other-" + i, others.get(i));
    }
    planned.forEach((name, project) -> f.sessions.create(name, Sessions.spec(project.id())));
    List<Session> running = new ArrayList<>();
    for (String name : planned.keySet()) {
      running.add(
          f.session(f.sessions.awaitPhase(name, SessionPhase.Running, Duration.ofMinutes(4))));
    }

    for (Project p : concat(shared, others)) {
      for (int e = 0; e < 5; e++) {
        f.files.upsert(
            p.owner(),
            p.id(),
            "src/edit" + e + ".ts",
            "export const project = '" + p.id() + "', edit = " + e + ";\n",
            "typescript");
      }
      f.files.delete(p.owner(), p.id(), "README.md");
    }

    for (Session s : running) {
      f.awaitConverged(s, planned.get(s.name()), Duration.ofSeconds(60));
    }
    assertThat(running).hasSize(23);
    assertThat(running.stream().map(s -> s.workspace().toString()).distinct()).hasSize(23);
  }

  @Test
  void aSessionCreatedWhileWritesAreInFlightMissesNothing() throws Exception {
    Project project = f.project("in-flight", DemoApp.files(50, 14));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger written = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              int i = 0;
              while (!stop.get()) {
                List<FileChangeRequest> one =
                    List.of(
                        FileChangeRequest.upsert(
                            "live/file" + (i % 40) + ".txt", "text", "write " + i + "\n"));
                try {
                  if (i % 7 == 0) {
                    f.files.bulk(project.owner(), project.id(), one);
                  } else {
                    f.files.upsert(
                        project.owner(),
                        project.id(),
                        one.get(0).path(),
                        one.get(0).content(),
                        "text");
                  }
                } catch (DatabaseException e) {
                  assertThat(e.sqlState()).isEqualTo("PT429");
                  // the database's per-user write limit: back off as a real writer would
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException stopped) {
                    return;
                  }
                  continue;
                }
                if (i % 11 == 10) {
                  try {
                    f.files.delete(
                        project.owner(), project.id(), "live/file" + ((i - 5) % 40) + ".txt");
                  } catch (DatabaseException e) {
                    assertThat(e.sqlState()).isEqualTo("PT404");
                  }
                }
                written.incrementAndGet();
                i++;
              }
            },
            "in-flight-writer");
    writer.start();
    while (written.get() < 50) {
      Thread.sleep(10);
    }
    f.sessions.create("in-flight", Sessions.spec(project.id()));
    Session s =
        f.session(f.sessions.awaitPhase("in-flight", SessionPhase.Running, Duration.ofMinutes(2)));
    Thread.sleep(1000);
    stop.set(true);
    writer.join();

    assertThat(written.get()).isGreaterThan(100);
    assertThat(s.resource().getStatus().getSnapshot().getRevision())
        .isLessThan(f.files.revision(project.id()));
    f.awaitConverged(s, project, Duration.ofSeconds(30));
  }

  private static List<Project> concat(Project first, List<Project> rest) {
    List<Project> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }
}
