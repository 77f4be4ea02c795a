package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The soak view of a long load: at the end of every window, the latency of that window's edits,
 * each control-plane JVM's heap after a full GC, its threads and open file descriptors, the
 * database's client connections, the gateway's open streams and the session processes' memory; and,
 * when asked, the gateway killed and restarted periodically. Flat rows mean no leak.
 */
final class SoakSampler implements AutoCloseable {
  /** One window's row. */
  record Sample(
      long elapsedSeconds,
      long edits,
      Stats toDisk,
      long operatorHeap,
      long gatewayHeap,
      int operatorThreads,
      int gatewayThreads,
      int operatorFds,
      int gatewayFds,
      long dbConnections,
      double streamsOpen,
      int agentProcesses,
      long agentRss,
      int gatewayRestarts) {}

  private final LocalStack stack;
  private final BenchParams params;
  private final Console console;
  private final WindowedStats window;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  // a restart takes seconds (a JVM start): it must not hold up the samples
  private final ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
  private final List<Sample> samples = new ArrayList<>();
  private final AtomicInteger restarts = new AtomicInteger();
  private final long start = System.nanoTime();

  SoakSampler(LocalStack stack, BenchParams params, Console console, WindowedStats window) {
    this.stack = stack;
    this.params = params;
    this.console = console;
    this.window = window;
  }

  /** Starts sampling (and the periodic fault), with a first row before any load. */
  void start() {
    if (!params.sampleEvery().isZero()) {
      sample();
      long every = params.sampleEvery().toMillis();
      timer.scheduleAtFixedRate(this::sample, every, every, TimeUnit.MILLISECONDS);
    }
    if (!params.restartGatewayEvery().isZero()) {
      long every = params.restartGatewayEvery().toMillis();
      faults.scheduleWithFixedDelay(this::restartGateway, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void restartGateway() {
    console.line("fault: restarting the gateway");
    stack.restartGateway();
    restarts.incrementAndGet();
  }

  private void sample() {
    WindowedStats.Window w = window.roll();
    var operator = stack.operator();
    var gateway = stack.gateway();
    List<ProcessHandle> agents = stack.kubelet().processes();
    Sample s =
        new Sample(
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
            w.edits(),
            w.latency(),
            heap(operator),
            heap(gateway),
            procStatus(operator.pid(), "Threads:"),
            procStatus(gateway.pid(), "Threads:"),
            fds(operator.pid()),
            fds(gateway.pid()),
            dbConnections(),
            Resources.gatewayMetric(stack, "preview_gateway_streams_open"),
            agents.size(),
            agents.stream().mapToLong(p -> procStatus(p.pid(), "VmRSS:") * 1024L).sum(),
            restarts.get());
    synchronized (samples) {
      samples.add(s);
    }
  }

  private static long heap(dev.velocity.preview.e2e.stack.ControlPlane plane) {
    if (plane.pid() == ProcessHandle.current().pid()) {
      System.gc();
    }
    return plane.heapUsed();
  }

  private static int procStatus(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone (a restart in progress), or not Linux
    }
    return -1;
  }

  private static int fds(long pid) {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) s.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private long dbConnections() {
    try (Connection c = stack.database().admin().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select count(*) from pg_stat_activity where backend_type = 'client backend'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** How often the gateway was restarted by this sampler. */
  int gatewayRestarts() {
    return restarts.get();
  }

  /** Stops sampling after a last row. */
  @Override
  public void close() throws InterruptedException {
    faults.shutdown();
    faults.awaitTermination(2, TimeUnit.MINUTES);
    timer.shutdownNow();
    timer.awaitTermination(1, TimeUnit.MINUTES);
    if (!params.sampleEvery().isZero()) {
      sample();
    }
  }

  /** The over-time table, or nothing when no windows were asked for. */
  String table() {
    if (samples.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n#### Over time (one row per window)\n\n");
    md.append(
        "| t (s) | edits | edit → disk p50 | p99 | missing | operator heap MiB | gateway heap MiB"
            + " | threads op/gw | fds op/gw | DB connections | streams open | agents | agents RSS MiB"
            + " | gateway restarts |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    synchronized (samples) {
      for (Sample s : samples) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %d | %s | %s | %d | %d | %d | %d/%d | %d/%d | %d | %.0f | %d | %d | %d |%n",
                s.elapsedSeconds(),
                s.edits(),
                Stats.ms(s.toDisk().percentile(50)),
                Stats.ms(s.toDisk().percentile(99)),
                s.toDisk().missingCount(),
                s.operatorHeap() >> 20,
                s.gatewayHeap() >> 20,
                s.operatorThreads(),
                s.gatewayThreads(),
                s.operatorFds(),
                s.gatewayFds(),
                s.dbConnections(),
                s.streamsOpen(),
                s.agentProcesses(),
                s.agentRss() >> 20,
                s.gatewayRestarts()));
      }
    }
    return md.toString();
  }
}
