package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.GatewayFixture;
import dev.velocity.preview.operator.realtime.SseLoadClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Commit → event latency with many open streams on one project: a writer commits one file at a time
 * (spaced, as edits are), every stream records when each revision arrives.
 *
 * <p>Run: {@code java -Xmx1g -cp <test classpath>
 * dev.velocity.preview.operator.bench.GatewayLatencyBench [streams=1000] [events=300]
 * [intervalMillis=20]}
 */
public final class GatewayLatencyBench {
  private GatewayLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int interval = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int warmup = 50;
    try (GatewayFixture gw = GatewayBenchSupport.gateway(100);
        SseLoadClient client = new SseLoadClient(1)) {
      UUID project = gw.newProject();
      List<SseLoadClient.Stream> open =
          GatewayBenchSupport.open(gw, client, project, streams, 100, 0, warmup + events);
      double[][] lagBefore = null;
      long[] issued = new long[warmup + events + 1];
      long[] acked = new long[warmup + events + 1];
      for (int i = 1; i <= warmup + events; i++) {
        if (i == warmup + 1) {
          for (SseLoadClient.Stream s : open) {
            s.awaitRevision(warmup, Duration.ofMinutes(2));
          }
          lagBefore = GatewayBenchSupport.lagHistogram(gw);
        }
        long t0 = System.nanoTime();
        long revision = gw.write(project, "src/f" + (i % 20) + ".ts", "export const v = " + i);
        acked[(int) revision] = System.nanoTime();
        issued[(int) revision] = t0;
        Thread.sleep(interval);
      }
      for (SseLoadClient.Stream s : open) {
        if (!s.awaitRevision(warmup + events, Duration.ofMinutes(2))) {
          throw new IllegalStateException("a stream stopped at revision " + s.lastId());
        }
      }
      long[] fromAck = new long[streams * events];
      long[] fromIssue = new long[streams * events];
      long[] lastStream = new long[events];
      int k = 0;
      for (int r = warmup + 1; r <= warmup + events; r++) {
        long slowest = 0;
        for (SseLoadClient.Stream s : open) {
          long arrived = s.arrivalNanos(r);
          fromAck[k] = arrived - acked[r];
          fromIssue[k] = arrived - issued[r];
          slowest = Math.max(slowest, fromIssue[k]);
          k++;
        }
        lastStream[r - warmup - 1] = slowest;
      }
      System.out.println("machine: " + GatewayBenchSupport.machine());
      System.out.printf(
          "streams=%d events=%d interval=%dms (after %d warm-up events)%n",
          streams, events, interval, warmup);
      System.out.printf(
          "commit ack -> event received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          GatewayBenchSupport.quantile(fromAck, 0.5) / 1e6,
          GatewayBenchSupport.quantile(fromAck, 0.99) / 1e6,
          GatewayBenchSupport.quantile(fromAck, 1.0) / 1e6);
      System.out.printf(
          "write issued -> event received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          GatewayBenchSupport.quantile(fromIssue, 0.5) / 1e6,
          GatewayBenchSupport.quantile(fromIssue, 0.99) / 1e6,
          GatewayBenchSupport.quantile(fromIssue, 1.0) / 1e6);
      System.out.println(
          "gateway's own commit (created_at) -> written to the stream: "
              + GatewayBenchSupport.lagQuantiles(lagBefore, GatewayBenchSupport.lagHistogram(gw)));
      System.out.printf(
          "write issued -> last of %d streams received: p50 %.2f ms, p99 %.2f ms%n",
          streams,
          GatewayBenchSupport.quantile(lastStream, 0.5) / 1e6,
          GatewayBenchSupport.quantile(lastStream, 0.99) / 1e6);
    }
  }
}
