package dev.velocity.preview.operator.realtime.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * pgjdbc waits 1 ms for more after every notification; the trimmed LISTEN connection returns what
 * has arrived at once and still loses none.
 */
class NotificationWaitIT {
  static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void aTrimmedConnectionReturnsAnArrivedNotificationWithoutTheOneMillisecondWait()
      throws Exception {
    try (Connection plain = listener();
        Connection trimmed = listener();
        Connection writer = db.superuserDataSource().getConnection()) {
      assertThat(NotificationWait.trim(trimmed)).isTrue();
      long plainFastest = Long.MAX_VALUE;
      long trimmedFastest = Long.MAX_VALUE;
      for (int i = 0; i < 10; i++) {
        notify(writer, "n" + i);
        Thread.sleep(30); // both notifications are in the sockets' buffers by now
        plainFastest = Math.min(plainFastest, timedReceive(plain, "n" + i));
        trimmedFastest = Math.min(trimmedFastest, timedReceive(trimmed, "n" + i));
      }
      // the driver's timed read cannot return before its 1 ms timeout has passed
      assertThat(plainFastest).isGreaterThanOrEqualTo(1_000_000L);
      assertThat(trimmedFastest).isLessThan(1_000_000L);
    }
  }

  @Test
  void aTrimmedConnectionStillReceivesEveryNotificationOfABurstInOrder() throws Exception {
    try (Connection trimmed = listener();
        Connection writer = db.superuserDataSource().getConnection()) {
      assertThat(NotificationWait.trim(trimmed)).isTrue();
      for (int i = 0; i < 200; i++) {
        notify(writer, Integer.toString(i));
      }
      List<String> got = new ArrayList<>();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (got.size() < 200 && System.nanoTime() < deadline) {
        PGNotification[] ns = trimmed.unwrap(PGConnection.class).getNotifications(500);
        if (ns != null) {
          for (PGNotification n : ns) {
            got.add(n.getParameter());
          }
        }
      }
      assertThat(got).hasSize(200);
      for (int i = 0; i < 200; i++) {
        assertThat(got.get(i)).isEqualTo(Integer.toString(i));
      }
      // the connection still runs queries after the trim
      try (Statement st = trimmed.createStatement();
          var rs = st.executeQuery("select 41 + 1")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }
  }

  private static Connection listener() throws Exception {
    Connection c = db.superuserDataSource().getConnection();
    try (Statement st = c.createStatement()) {
      st.execute("listen wait_test");
    }
    return c;
  }

  private static void notify(Connection writer, String payload) throws Exception {
    try (var ps = writer.prepareStatement("select pg_notify('wait_test', ?)")) {
      ps.setString(1, payload);
      ps.execute();
    }
  }

  /** Nanoseconds {@code getNotifications} took to return the (already arrived) {@code payload}. */
  private static long timedReceive(Connection c, String payload) throws Exception {
    long start = System.nanoTime();
    PGNotification[] ns = c.unwrap(PGConnection.class).getNotifications(500);
    long took = System.nanoTime() - start;
    assertThat(ns).extracting(PGNotification::getParameter).containsExactly(payload);
    return took;
  }
}
