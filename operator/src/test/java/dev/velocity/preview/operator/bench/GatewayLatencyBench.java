package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.GatewayFixture;
import dev.velocity.preview.operator.realtime.SseLoadClient;
import dev.velocity.preview.testkit.EmbeddedPostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Commit → event latency with many open streams on one project: a writer commits one file at a time
 * (spaced, as edits are); the gateway's {@link DeliveryRecorder trace} records each stage of each
 * revision (NOTIFY heard, change rows read, flushed to every stream) and the clients record
 * arrivals. Prints exact percentiles per stage and the CPU each delivery cost.
 *
 * <p>Run: {@code java -Xmx1g -cp <test classpath>
 * dev.velocity.preview.operator.bench.GatewayLatencyBench [streams=1000] [events=150]
 * [intervalMillis=200] [client=inproc|process|nice]} — {@code inproc}: the 1,000 client streams run
 * in this JVM (one client thread); {@code process}: in a separate JVM ({@link
 * GatewayLoadClientMain}); {@code nice}: that JVM under {@code nice -n 19}, so on these 2 shared
 * cores it runs only when the gateway and PostgreSQL leave CPU over, as a remote client would.
 */
public final class GatewayLatencyBench {
  private static final int WARMUP = 50;

  private GatewayLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 150;
    int interval = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    String mode = args.length > 3 ? args[3] : "inproc";
    int total = WARMUP + events;
    try (EmbeddedPostgresServer pg = GatewayBenchSupport.commitTimestampServer();
        GatewayFixture gw = GatewayBenchSupport.gateway(100, pg)) {
      UUID project = gw.newProject();
      DeliveryRecorder rec = new DeliveryRecorder(total, streams);
      gw.server.metrics().trace(rec);
      Clients clients =
          mode.equals("inproc")
              ? Clients.inProcess(gw, project, streams, total)
              : Clients.childProcess(gw, project, streams, total, mode.equals("nice"));
      long offset = epochMinusNano();
      long[] issued = new long[total + 1];
      long[] acked = new long[total + 1];
      double[][] histBefore = null;
      long cpuBefore = 0;
      long pgBefore = 0;
      long childBefore = 0;
      Map<String, Long> threadsBefore = null;
      List<Long> pgPids = gw.serverPids();
      for (int i = 1; i <= total; i++) {
        if (i == WARMUP + 1) {
          clients.await(WARMUP);
          histBefore = GatewayBenchSupport.lagHistogram(gw);
          cpuBefore = GatewayBenchSupport.processCpuMillis();
          pgBefore = CpuClock.processesNanos(pgPids);
          childBefore = clients.cpuNanos();
          threadsBefore = CpuClock.threadNanosByGroup();
        }
        long t0 = System.nanoTime();
        long revision = gw.write(project, "src/f" + (i % 20) + ".ts", "export const v = " + i);
        acked[(int) revision] = System.nanoTime();
        issued[(int) revision] = t0;
        Thread.sleep(interval);
      }
      clients.await(total);
      long cpuMillis = GatewayBenchSupport.processCpuMillis() - cpuBefore;
      long pgNanos = CpuClock.processesNanos(pgPids) - pgBefore;
      long childNanos = clients.cpuNanos() - childBefore;
      Map<String, Long> threads = CpuClock.threadNanosByGroup();
      threadsBefore.forEach((k, v) -> threads.merge(k, -v, Long::sum));
      long[][] arrivals = clients.arrivalsNanos(offset);
      double[][] histAfter = GatewayBenchSupport.lagHistogram(gw);
      gw.server.metrics().trace(null);
      clients.close();

      long[] committed = GatewayBenchSupport.commitMicros(gw, project, total);
      LatencyReport report =
          new LatencyReport(
              rec, issued, acked, committed, arrivals, offset, WARMUP + 1, total, streams);
      System.out.println("machine: " + GatewayBenchSupport.machine());
      System.out.printf(
          "streams=%d events=%d interval=%dms client=%s transport=%s (after %d warm-up events)%n",
          streams, events, interval, mode, gw.server.transport(), WARMUP);
      report.print(System.out);
      System.out.println(
          "gateway histogram preview_gateway_commit_to_send_seconds: "
              + GatewayBenchSupport.lagQuantiles(histBefore, histAfter));
      long deliveries = (long) streams * events;
      long gatewayThreads =
          threads.entrySet().stream()
              .filter(e -> e.getKey().startsWith("gateway"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      System.out.printf(
          "CPU per delivery (%d deliveries): gateway threads %.2f µs %s; whole JVM %.2f µs"
              + " (incl. JIT/GC, writer%s); PostgreSQL %.2f µs; client process %.2f µs%n",
          deliveries,
          gatewayThreads / 1e3 / deliveries,
          perThread(threads, deliveries),
          cpuMillis * 1e3 / deliveries,
          mode.equals("inproc") ? ", in-process client" : "",
          pgNanos / 1e3 / deliveries,
          childNanos / 1e3 / deliveries);
    }
  }

  private static String perThread(Map<String, Long> threads, long deliveries) {
    StringBuilder b = new StringBuilder("(");
    threads.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                b.append(b.length() > 1 ? ", " : "")
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format("%.2f", e.getValue() / 1e3 / deliveries)));
    return b.append(')').toString();
  }

  /** Epoch nanoseconds minus {@link System#nanoTime()}, from the tightest of many samples. */
  static long epochMinusNano() {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 200; i++) {
      long a = System.nanoTime();
      Instant now = Instant.now();
      long b = System.nanoTime();
      if (b - a < best) {
        best = b - a;
        offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (a + (b - a) / 2);
      }
    }
    return offset;
  }

  /** The streams' client: in this JVM or in a child process. */
  private interface Clients extends AutoCloseable {
    void await(long revision) throws Exception;

    /** CPU of the child process so far (0 in process). */
    long cpuNanos();

    /** Per revision, per stream: arrival in this JVM's nanoTime. */
    long[][] arrivalsNanos(long offset) throws Exception;

    @Override
    void close() throws Exception;

    static Clients inProcess(GatewayFixture gw, UUID project, int streams, int total)
        throws Exception {
      SseLoadClient client = new SseLoadClient(1);
      List<SseLoadClient.Stream> open =
          GatewayBenchSupport.open(gw, client, project, streams, 100, 0, total);
      return new Clients() {
        @Override
        public void await(long revision) throws Exception {
          for (SseLoadClient.Stream s : open) {
            if (!s.awaitRevision(revision, Duration.ofMinutes(2))) {
              throw new IllegalStateException("a stream stopped at revision " + s.lastId());
            }
          }
        }

        @Override
        public long cpuNanos() {
          return 0;
        }

        @Override
        public long[][] arrivalsNanos(long offset) {
          long[][] out = new long[total + 1][open.size()];
          for (int r = 1; r <= total; r++) {
            for (int s = 0; s < open.size(); s++) {
              out[r][s] = open.get(s).arrivalNanos(r);
            }
          }
          return out;
        }

        @Override
        public void close() {
          client.close();
        }
      };
    }

    static Clients childProcess(
        GatewayFixture gw, UUID project, int streams, int total, boolean nice) throws Exception {
      Path tokenFile = GatewayBenchSupport.tokenFile(gw, project, streams, 100);
      Path arrivalsFile = Files.createTempFile("gateway-arrivals", ".txt");
      Process child =
          GatewayBenchSupport.startLoadClient(
              gw, project, tokenFile, streams, total, arrivalsFile, nice);
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      expect(lines, "OPEN");
      return new Clients() {
        private boolean received;

        @Override
        public void await(long revision) throws Exception {
          if (revision == total && !received) {
            expect(lines, "RECEIVED");
            received = true;
          } else if (revision < total) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (gw.server.metrics().eventsSentTotal() < revision * streams) {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not send revision " + revision);
              }
              Thread.sleep(20);
            }
          }
        }

        @Override
        public long cpuNanos() {
          return CpuClock.processesNanos(List.of(child.pid()));
        }

        @Override
        public long[][] arrivalsNanos(long offset) throws Exception {
          expect(lines, "ARRIVALS");
          long[][] out = new long[total + 1][streams];
          int[] n = new int[total + 1];
          for (String line : Files.readAllLines(arrivalsFile)) {
            int space = line.indexOf(' ');
            int r = Integer.parseInt(line.substring(0, space));
            long epochMicros = Long.parseLong(line.substring(space + 1));
            out[r][n[r]++] = epochMicros * 1000 - offset;
          }
          return out;
        }

        @Override
        public void close() throws Exception {
          child.getOutputStream().close();
          child.waitFor();
          Files.deleteIfExists(tokenFile);
          Files.deleteIfExists(arrivalsFile);
        }
      };
    }

    private static void expect(BufferedReader lines, String prefix) throws Exception {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(prefix)) {
          return;
        }
        if (line.startsWith("FAILED")) {
          throw new IllegalStateException("load client: " + line);
        }
      }
      throw new IllegalStateException("load client ended before " + prefix);
    }
  }
}
