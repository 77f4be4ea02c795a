package dev.velocity.preview.operator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** CPU time of other processes (from /proc) and of this JVM's threads by name prefix. */
final class CpuClock {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private CpuClock() {}

  /** utime + stime of {@code pids}, in nanoseconds (processes that are gone count 0). */
  static long processesNanos(Collection<Long> pids) {
    long ticks = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (Exception gone) {
        // exited, or not Linux
      }
    }
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** CPU nanoseconds of this JVM's live threads, summed per name prefix before the first '-'. */
  static Map<String, Long> threadNanosByGroup() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      ThreadInfo info = mx.getThreadInfo(id);
      long cpu = mx.getThreadCpuTime(id);
      if (info == null || cpu < 0) {
        continue;
      }
      out.merge(group(info.getThreadName()), cpu, Long::sum);
    }
    return out;
  }

  private static String group(String name) {
    if (name.startsWith("gateway") || name.startsWith("sse-load") || name.equals("main")) {
      int dash = name.indexOf('-', name.indexOf('-') + 1);
      return dash > 0 ? name.substring(0, dash) : name;
    }
    return "other";
  }
}
