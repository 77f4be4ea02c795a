package dev.velocity.preview.sql.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * CPU time used by the PostgreSQL server (postmaster and all its processes, from /proc) and by this
 * JVM. On a shared machine wall-clock rates depend on what else runs; CPU per operation tells what
 * the work itself costs.
 */
final class CpuMeter {
  private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on Linux

  private final long postmaster;

  private CpuMeter(long postmaster) {
    this.postmaster = postmaster;
  }

  static CpuMeter forServerOf(DataSource ds) throws SQLException, IOException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return new CpuMeter(stat(rs.getLong(1))[1]);
    }
  }

  /** CPU nanoseconds: server and client. */
  record Sample(long serverNanos, long clientNanos) {
    Sample minus(Sample earlier) {
      return new Sample(serverNanos - earlier.serverNanos, clientNanos - earlier.clientNanos);
    }

    String perOperation(long operations) {
      double server = serverNanos / 1e3 / operations;
      double client = clientNanos / 1e3 / operations;
      return String.format(
          "CPU per op: server %.0f µs + client %.0f µs (= %.0f ops/s on 2 idle cores)",
          server, client, 2e6 / (server + client));
    }
  }

  Sample sample() throws IOException {
    long ticks = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        long[] stat;
        try {
          stat = stat(pid);
        } catch (IOException | RuntimeException gone) {
          continue;
        }
        if (pid == postmaster) {
          ticks += stat[2] + stat[3] + stat[4] + stat[5]; // own + reaped children
        } else if (stat[1] == postmaster) {
          ticks += stat[2] + stat[3];
        }
      }
    }
    long client =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    return new Sample((long) (ticks * TICK_NANOS), client);
  }

  /** pid, ppid, utime, stime, cutime, cstime. */
  private static long[] stat(long pid) throws IOException {
    String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    // f[0] = state, f[1] = ppid, f[11..14] = utime, stime, cutime, cstime
    return new long[] {
      pid,
      Long.parseLong(f[1]),
      Long.parseLong(f[11]),
      Long.parseLong(f[12]),
      Long.parseLong(f[13]),
      Long.parseLong(f[14])
    };
  }
}
