package dev.velocity.preview.agent.bench;

import dev.velocity.preview.agent.SharedHostJvmFlags;
import dev.velocity.preview.agent.sync.FakeGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * CPU per delivery of real {@code sync} processes (the agent jar with the local stack's JVM flags),
 * all following one in-test gateway: how much CPU an agent JVM spends on each event it applies,
 * from {@code /proc/<pid>/stat} and, per thread name, {@code /proc/<pid>/task/<tid>/stat}.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.agent.bench.SyncCpuBench AGENT_JAR WORKDIR AGENTS \
 *     EVENTS_PER_SECOND SECONDS [BYTES] [WINDOWS]
 * </pre>
 *
 * Each agent receives every event, so an agent's delivery rate is {@code EVENTS_PER_SECOND}. The
 * edit phase is split into {@code WINDOWS} windows (default 3) to show the code warming up. The
 * idle cost of each agent (measured for 10 s before the edits) is subtracted. JVM flags: the local
 * stack's ({@code -Dbench.flags="..."} to override, space-separated); {@code
 * -Dbench.env=NAME=VALUE,...} adds agent variables (e.g. {@code ACK_INTERVAL_MS=600000} to see the
 * cost of acks).
 */
public final class SyncCpuBench {
  private static final long TICKS = 100; // USER_HZ
  private static final String PROCESS = "(process)";

  /** The local stack's agent flags; the archive is added if present. */
  static final List<String> LOCAL_STACK_FLAGS = SharedHostJvmFlags.FLAGS;

  private SyncCpuBench() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path work = Path.of(args[1]).toAbsolutePath();
    int agents = Integer.parseInt(args[2]);
    double rate = Double.parseDouble(args[3]);
    int seconds = Integer.parseInt(args[4]);
    int bytes = args.length > 5 ? Integer.parseInt(args[5]) : 1024;
    int windows = args.length > 6 ? Integer.parseInt(args[6]) : 3;
    HydrateBench.deleteTree(work);
    Files.createDirectories(work);
    List<String> flags = flags(jar);
    UUID project = UUID.randomUUID();
    Random random = new Random(7);
    List<Process> procs = new ArrayList<>();
    try (FakeGateway gateway = new FakeGateway(project)) {
      gateway.keepaliveMillis = 15_000; // as the real gateway
      for (int i = 0; i < 100; i++) {
        gateway.update(path(i), content(random, i, bytes));
      }
      Files.writeString(work.resolve("token"), "token-1");
      for (int a = 0; a < agents; a++) {
        Path dir = Files.createDirectories(work.resolve("a" + a));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("sync");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("REALTIME_URL", gateway.url());
        env.put("PROJECT_ID", project.toString());
        env.put("TOKEN_FILE", work.resolve("token").toString());
        env.put("WORKSPACE_DIR", dir.resolve("ws").toString());
        env.put("STATE_DIR", dir.resolve("state").toString());
        env.put("HEALTH_PORT", "0");
        for (String kv : System.getProperty("bench.env", "").split(",")) {
          if (kv.contains("=")) {
            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
          }
        }
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
        procs.add(pb.start());
      }
      awaitRevision(work, agents, gateway.revision(), 120);
      Thread.sleep(2000); // the first ack and the start-up compilations settle
      Map<String, long[]> before = threads(procs);
      long t0 = System.nanoTime();
      Thread.sleep(10_000);
      Map<String, long[]> afterIdle = threads(procs);
      double idleSeconds = (System.nanoTime() - t0) / 1e9;
      double idleMsPerSecond =
          total(diff(afterIdle, before)) * 1000.0 / TICKS / agents / idleSeconds;
      System.out.printf(
          "%d agents, one project, %d B files, %.1f events/s to each agent for %d s; flags %s%n",
          agents, bytes, rate, seconds, String.join(" ", flags));
      System.out.printf("idle: %.2f ms CPU/s per agent%n", idleMsPerSecond);
      long periodNanos = (long) (1e9 / rate);
      int perWindow = (int) Math.round(rate * seconds / windows);
      int n = 100;
      Map<String, long[]> last = afterIdle;
      Map<String, long[]> all = new TreeMap<>();
      long allEvents = 0;
      double allSeconds = 0;
      for (int w = 0; w < windows; w++) {
        long start = System.nanoTime();
        for (int e = 0; e < perWindow; e++) {
          long due = start + e * periodNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          gateway.update(path(random.nextInt(100)), content(random, n++, bytes));
        }
        awaitRevision(work, agents, gateway.revision(), 60);
        Map<String, long[]> now = threads(procs);
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, long[]> d = diff(now, last);
        merge(all, d);
        allEvents += perWindow;
        allSeconds += wall;
        report("window " + (w + 1), d, perWindow, wall, agents, idleMsPerSecond);
        last = now;
      }
      report("all", all, allEvents, allSeconds, agents, idleMsPerSecond);
      System.out.println("per thread (ms CPU per delivery, idle not subtracted):");
      for (Map.Entry<String, long[]> t : all.entrySet()) {
        double ms = t.getValue()[0] * 1000.0 / TICKS / agents / allEvents;
        if (ms >= 0.005) {
          System.out.printf("  %-20s %.3f%n", t.getKey(), ms);
        }
      }
    } finally {
      for (Process p : procs) {
        p.destroy();
      }
      for (Process p : procs) {
        p.waitFor();
      }
    }
  }

  private static void report(
      String label, Map<String, long[]> d, long events, double wall, int agents, double idle) {
    double perAgentMs = total(d) * 1000.0 / TICKS / agents;
    double perDelivery = (perAgentMs - idle * wall) / events;
    System.out.printf(
        "%s: %d events in %.1f s, %.1f ms CPU per agent, %.2f ms CPU per delivery (idle"
            + " subtracted)%n",
        label, events, wall, perAgentMs, perDelivery);
  }

  static List<String> flags(Path jar) {
    String custom = System.getProperty("bench.flags");
    List<String> flags =
        new ArrayList<>(custom == null ? LOCAL_STACK_FLAGS : List.of(custom.trim().split("\\s+")));
    Path archive = jar.resolveSibling("preview-agent.jsa");
    if (Files.isRegularFile(archive) && custom == null) {
      flags.add("-XX:SharedArchiveFile=" + archive);
      flags.add("-Xlog:cds=off,cds+dynamic=off");
    }
    return flags;
  }

  private static String path(int i) {
    return "src/components/c" + (i % 10) + "/File" + i + ".tsx";
  }

  private static String content(Random r, int i, int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 64);
    while (sb.length() < bytes) {
      sb.append("export const v").append(i).append(" = ").append(r.nextInt()).append(";\n");
    }
    return sb.substring(0, bytes);
  }

  private static void awaitRevision(Path work, int agents, long revision, int timeoutSeconds)
      throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    for (int a = 0; a < agents; a++) {
      Path state = work.resolve("a" + a).resolve("state").resolve("state.json");
      while (stateRevision(state) < revision) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "agent " + a + " did not reach revision " + revision + " (see its agent.log)");
        }
        Thread.sleep(20);
      }
    }
  }

  private static long stateRevision(Path state) {
    try {
      String s = Files.readString(state, StandardCharsets.UTF_8);
      int i = s.indexOf("\"revision\":");
      int j = i + "\"revision\":".length();
      int k = j;
      while (k < s.length() && Character.isDigit(s.charAt(k))) {
        k++;
      }
      return Long.parseLong(s.substring(j, k));
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU ticks (user+sys) by thread name, summed over the processes, and the processes' own total
   * under {@link #PROCESS} (threads that ended are only in that).
   */
  static Map<String, long[]> threads(List<Process> procs) {
    Map<String, long[]> byName = new TreeMap<>();
    for (Process p : procs) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
        byName.computeIfAbsent(PROCESS, k -> new long[1])[0] +=
            ticks(Path.of("/proc", Long.toString(p.pid()), "stat"));
        for (Path task : (Iterable<Path>) tasks::iterator) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name =
                stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                    .replaceAll("[0-9]+$", "#");
            byName.computeIfAbsent(name, k -> new long[1])[0] += ticks(task.resolve("stat"));
          } catch (IOException | RuntimeException threadGone) {
            // the thread ended between the listing and the read
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("agent process " + p.pid() + " is gone", e);
      }
    }
    return byName;
  }

  private static long ticks(Path stat) throws IOException {
    String s = Files.readString(stat);
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static Map<String, long[]> diff(Map<String, long[]> now, Map<String, long[]> then) {
    Map<String, long[]> d = new HashMap<>();
    for (Map.Entry<String, long[]> e : now.entrySet()) {
      long[] t = then.get(e.getKey());
      d.put(e.getKey(), new long[] {e.getValue()[0] - (t == null ? 0 : t[0])});
    }
    return d;
  }

  private static void merge(Map<String, long[]> into, Map<String, long[]> d) {
    for (Map.Entry<String, long[]> e : d.entrySet()) {
      into.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
    }
  }

  static long total(Map<String, long[]> m) {
    long[] v = m.get(PROCESS);
    return v == null ? 0 : v[0];
  }
}
