package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.feed.NotificationWait;
import dev.velocity.preview.testkit.EmbeddedPostgresServer;
import dev.velocity.preview.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL's NOTIFY alone, without the gateway: a writer commits an insert that notifies, a
 * listener thread waits in {@code getNotifications(timeout)} as the gateway's LISTEN thread does.
 * Prints COMMIT ({@code pg_xact_commit_timestamp}) → commit ack, COMMIT → notification heard, and a
 * {@code select 1} on the listening connection right after each notification against the same query
 * back to back (what a round trip costs after a quiet spell).
 *
 * <p>Run: {@code java -cp <test classpath> dev.velocity.preview.operator.bench.NotifyLatencyBench
 * [notifies=300] [intervalMillis=50] [pollMillis=500] [trim]} ({@code trim}: with {@link
 * NotificationWait#trim})
 */
public final class NotifyLatencyBench {
  private NotifyLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int interval = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int poll = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    boolean trim = args.length > 3 && args[3].equals("trim");
    try (EmbeddedPostgresServer pg = GatewayBenchSupport.commitTimestampServer();
        TestDatabase db = TestDatabase.create(pg);
        Connection listen = db.superuserDataSource().getConnection();
        Connection write = db.superuserDataSource().getConnection()) {
      try (Statement st = write.createStatement()) {
        st.execute("create table t (i int primary key)");
      }
      try (Statement st = listen.createStatement()) {
        st.execute("listen c");
      }
      if (trim && !NotificationWait.trim(listen)) {
        throw new IllegalStateException("the driver's notification wait could not be trimmed");
      }
      long[] heard = new long[n + 1];
      long[] listenerCpu = new long[1];
      long[] followUp = new long[n + 1];
      PGConnection pgl = listen.unwrap(PGConnection.class);
      Thread listener =
          new Thread(
              () -> {
                int got = 0;
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpuStart = threads.getCurrentThreadCpuTime();
                try {
                  while (got < n) {
                    PGNotification[] ns = pgl.getNotifications(poll);
                    long now = System.nanoTime();
                    if (ns != null) {
                      for (PGNotification x : ns) {
                        heard[Integer.parseInt(x.getParameter())] = now;
                        got++;
                      }
                      // what the gateway does next: one round trip on the same connection
                      try (Statement st = listen.createStatement();
                          ResultSet rs = st.executeQuery("select 1")) {
                        rs.next();
                      }
                      followUp[Integer.parseInt(ns[ns.length - 1].getParameter())] =
                          System.nanoTime() - now;
                    }
                  }
                  listenerCpu[0] = threads.getCurrentThreadCpuTime() - cpuStart;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "listen");
      listener.start();
      long offset = GatewayLatencyBench.epochMinusNano();
      long[] issued = new long[n + 1];
      long[] acked = new long[n + 1];
      try (PreparedStatement ps =
          write.prepareStatement(
              "with x as (insert into t values (?) returning i)"
                  + " select pg_notify('c', i::text) from x")) {
        for (int i = 1; i <= n; i++) {
          ps.setInt(1, i);
          issued[i] = System.nanoTime();
          ps.executeQuery().close();
          acked[i] = System.nanoTime();
          Thread.sleep(interval);
        }
      }
      listener.join(10_000);
      long[] commit = new long[n + 1];
      try (Statement st = write.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select i, (extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000000)::bigint"
                      + " from t")) {
        while (rs.next()) {
          commit[rs.getInt(1)] = rs.getLong(2) * 1000 - offset;
        }
      }
      int from = Math.min(50, n / 2) + 1;
      int m = n - from + 1;
      long[] toAck = new long[m];
      long[] toHeard = new long[m];
      long[] rpc = new long[m];
      long[] follow = new long[m];
      long[] warm = new long[200];
      for (int i = 0; i < warm.length; i++) {
        long s = System.nanoTime();
        try (Statement st = listen.createStatement();
            ResultSet rs = st.executeQuery("select 1")) {
          rs.next();
        }
        warm[i] = System.nanoTime() - s;
      }
      for (int i = from; i <= n; i++) {
        toAck[i - from] = acked[i] - commit[i];
        toHeard[i - from] = heard[i] - commit[i];
        rpc[i - from] = acked[i] - issued[i];
        follow[i - from] = followUp[i];
      }
      System.out.println("machine: " + GatewayBenchSupport.machine());
      System.out.printf(
          "%d notifies every %d ms, listener poll %d ms, wait trimmed: %s%n",
          m, interval, poll, trim);
      print("RPC issued -> ack (insert + pg_notify + commit)", rpc);
      print("COMMIT -> ack at the writer", toAck);
      print("COMMIT -> notification returned by getNotifications", toHeard);
      print("select 1 on the LISTEN connection right after a notification", follow);
      print("select 1 on the same connection, back to back (warm)", warm);
      System.out.printf(
          "  listener thread CPU per notification: %.1f µs%n", listenerCpu[0] / 1e3 / n);
    }
  }

  private static void print(String what, long[] v) {
    Arrays.sort(v);
    System.out.printf(
        "  %-55s p50 %6.3f ms  p90 %6.3f  p99 %6.3f%n",
        what,
        v[v.length / 2] / 1e6,
        v[(int) (v.length * 0.9)] / 1e6,
        v[(int) (v.length * 0.99)] / 1e6);
  }
}
