package dev.velocity.preview.sql.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** Samples wait events of client backends during a run and prints pg_stat_statements after it. */
final class Diag {
  private static final Map<String, Integer> WAITS = new ConcurrentHashMap<>();
  private static volatile boolean running;
  private static Thread sampler;

  private Diag() {}

  private static String wal(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select 'wal_records=' || wal_records || ' wal_bytes=' || wal_bytes || ' wal_write=' || wal_write"
                    + " || ' wal_sync=' || wal_sync || ' sync_ms=' || round(wal_sync_time::numeric, 0) from pg_stat_wal")) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void start(DataSource ds) throws SQLException {
    System.out.println("wal before: " + wal(ds));
    running = true;
    WAITS.clear();
    sampler =
        new Thread(
            () -> {
              try (Connection c = ds.getConnection();
                  Statement st = c.createStatement()) {
                while (running) {
                  try (ResultSet rs =
                      st.executeQuery(
                          "select coalesce(wait_event_type || ':' || wait_event, state) from pg_stat_activity"
                              + " where backend_type = 'client backend' and pid <> pg_backend_pid()"
                              + " and query like '%upsert_project_file%'")) {
                    while (rs.next()) {
                      WAITS.merge(rs.getString(1), 1, Integer::sum);
                    }
                  }
                  Thread.sleep(5);
                }
              } catch (SQLException | InterruptedException e) {
                System.out.println("sampler stopped: " + e);
              }
            });
    sampler.setDaemon(true);
    sampler.start();
  }

  static void stop(DataSource ds, long ops) throws Exception {
    running = false;
    sampler.join();
    System.out.println("wait events (samples): " + new TreeMap<>(WAITS));
    Thread.sleep(600);
    System.out.println("wal after: " + wal(ds));
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select calls, round(total_exec_time::numeric * 1000 / "
                    + ops
                    + ", 1) as us_per_upsert, round(mean_exec_time::numeric * 1000, 1) as us_mean,"
                    + " shared_blks_hit, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                    + " from pg_stat_statements order by total_exec_time desc limit 25")) {
      System.out.println("| calls | µs per upsert | µs mean | blks hit | query |");
      while (rs.next()) {
        System.out.printf(
            "| %d | %s | %s | %d | %s |%n",
            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5));
      }
    }
  }
}
