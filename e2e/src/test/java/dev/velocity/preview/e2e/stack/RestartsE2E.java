package dev.velocity.preview.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.e2e.db.DatabaseException;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.demo.DemoApp;
import dev.velocity.preview.e2e.support.StackFixture;
import dev.velocity.preview.e2e.support.StackFixture.Project;
import dev.velocity.preview.e2e.support.StackFixture.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restarting each moving part while edits stream in: the gateway, the sync agent, the operator.
 * Afterwards every workspace equals the database.
 */
class RestartsE2E {
  private static StackFixture f;
  private static Project project;
  private static Session first;
  private static Session second;

  @BeforeAll
  static void start() {
    f = StackFixture.in("restarts");
    project = f.project("restarts", DemoApp.files(60, 20));
    first = f.runningSession("restarts-1", project);
    second = f.runningSession("restarts-2", project);
  }

  @AfterAll
  static void stop() {
    f.deleteAllSessions();
  }

  @Test
  void gatewayRestartMidStreamConverges() throws Exception {
    try (Writer w = Writer.start("gw")) {
      w.awaitWrites(30);
      f.stack.restartGateway();
      w.awaitWrites(30);
    }
    f.awaitConverged(first, project, Duration.ofSeconds(45));
    f.awaitConverged(second, project, Duration.ofSeconds(45));
  }

  @Test
  void syncAgentKilledMidStreamIsRestartedAndConverges() throws Exception {
    int restartsBefore = syncRestarts(first);
    try (Writer w = Writer.start("agent")) {
      w.awaitWrites(30);
      f.stack.kubelet().killContainer(f.ns, first.pod().pod().getMetadata().getName(), "sync");
      w.awaitWrites(30);
    }
    f.awaitConverged(first, project, Duration.ofSeconds(45));
    f.awaitConverged(second, project, Duration.ofSeconds(45));
    assertThat(syncRestarts(first)).isEqualTo(restartsBefore + 1);
  }

  @Test
  void operatorRestartMidStreamConvergesWithoutDuplicatePods() throws Exception {
    try (Writer w = Writer.start("operator")) {
      w.awaitWrites(30);
      f.stack.restartOperator();
      w.awaitWrites(30);
    }
    f.awaitConverged(first, project, Duration.ofSeconds(45));
    f.awaitConverged(second, project, Duration.ofSeconds(45));
    Session third = f.runningSession("restarts-3", project);
    f.awaitConverged(third, project, Duration.ofSeconds(45));
    assertThat(f.stack.client().pods().inNamespace(f.ns).list().getItems()).hasSize(3);
    assertThat(f.stack.kubelet().pods()).hasSize(3);
    f.sessions.delete("restarts-3");
    f.stack
        .kubelet()
        .awaitGone(f.ns, third.pod().pod().getMetadata().getName(), Duration.ofSeconds(30));
  }

  private static int syncRestarts(Session s) {
    return f
        .stack
        .client()
        .pods()
        .inNamespace(f.ns)
        .withName(s.pod().pod().getMetadata().getName())
        .get()
        .getStatus()
        .getContainerStatuses()
        .stream()
        .filter(c -> c.getName().equals("sync"))
        .findFirst()
        .orElseThrow()
        .getRestartCount();
  }

  /** Edits the project continuously (upserts, deletes, small bulks) until closed. */
  private static final class Writer implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;

    private Writer(String tag) {
      thread =
          new Thread(
              () -> {
                int i = 0;
                while (!stop.get()) {
                  String path = "stream/" + tag + "/f" + (i % 25) + ".txt";
                  try {
                    write(tag, path, i);
                  } catch (RuntimeException e) {
                    if (!(e instanceof DatabaseException d && "PT429".equals(d.sqlState()))) {
                      failure.set(e);
                      return;
                    }
                    // the database's per-user write limit: back off as a real writer would
                    pause(1000);
                    continue;
                  }
                  writes.incrementAndGet();
                  i++;
                  if (!pause(20)) {
                    return;
                  }
                }
              },
              "writer-" + tag);
    }

    private static void write(String tag, String path, int i) {
      if (i % 9 == 8) {
        deleteIfPresent("stream/" + tag + "/f" + ((i - 3) % 25) + ".txt");
      } else if (i % 5 == 4) {
        f.files.bulk(
            project.owner(),
            project.id(),
            List.of(
                FileChangeRequest.upsert(path, "text", tag + " bulk " + i + "\n"),
                FileChangeRequest.upsert(path + ".b", "text", tag + " bulk b " + i + "\n")));
      } else {
        f.files.upsert(project.owner(), project.id(), path, tag + " write " + i + "\n", "text");
      }
    }

    private static boolean pause(long millis) {
      try {
        Thread.sleep(millis);
        return true;
      } catch (InterruptedException e) {
        return false;
      }
    }

    private static void deleteIfPresent(String path) {
      try {
        f.files.delete(project.owner(), project.id(), path);
      } catch (DatabaseException e) {
        if (!"PT404".equals(e.sqlState())) {
          throw e;
        }
      }
    }

    static Writer start(String tag) {
      Writer w = new Writer(tag);
      w.thread.start();
      return w;
    }

    void awaitWrites(int more) throws InterruptedException {
      int target = writes.get() + more;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (writes.get() < target) {
        if (failure.get() != null) {
          throw new AssertionError("the writer failed", failure.get());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the writer made " + writes.get() + " of " + target + " writes");
        }
        Thread.sleep(10);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join();
    }
  }
}
