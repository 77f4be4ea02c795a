package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.GatewayFixture;
import dev.velocity.preview.operator.realtime.SseLoadClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Fan-out throughput: many streams on one project, a writer committing as fast as it can; counts
 * event deliveries per second from the first commit to the last delivery.
 *
 * <p>Run: {@code java -Xmx1g -cp <test classpath>
 * dev.velocity.preview.operator.bench.GatewayFanOutBench [streams=1000] [events=1000]}
 */
public final class GatewayFanOutBench {
  private GatewayFanOutBench() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    try (GatewayFixture gw = GatewayBenchSupport.gateway(100);
        SseLoadClient client = new SseLoadClient(1)) {
      System.out.println("machine: " + GatewayBenchSupport.machine());
      for (int round = 1; round <= 3; round++) {
        UUID project = gw.newProject();
        List<SseLoadClient.Stream> open =
            GatewayBenchSupport.open(gw, client, project, streams, 100, 0, events);
        long sentBefore = gw.server.metrics().eventsSentTotal();
        long cpuBefore = GatewayBenchSupport.processCpuMillis();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
          gw.write(project, "src/f" + (i % 20) + ".ts", "export const v = " + i + ";");
        }
        long written = System.nanoTime();
        for (SseLoadClient.Stream s : open) {
          if (!s.awaitRevision(events, Duration.ofMinutes(5))) {
            throw new IllegalStateException("a stream stopped at revision " + s.lastId());
          }
        }
        long end = System.nanoTime();
        long delivered = gw.server.metrics().eventsSentTotal() - sentBefore;
        long outOfOrder = open.stream().mapToLong(SseLoadClient.Stream::outOfOrder).sum();
        double seconds = (end - start) / 1e9;
        System.out.printf(
            "round %d: %d streams x %d events = %d deliveries in %.2f s (writes took %.2f s):"
                + " %.0f deliveries/s, process CPU %d ms (%.1f us per delivery), out of order %d%n",
            round,
            streams,
            events,
            delivered,
            seconds,
            (written - start) / 1e9,
            delivered / seconds,
            GatewayBenchSupport.processCpuMillis() - cpuBefore,
            (GatewayBenchSupport.processCpuMillis() - cpuBefore) * 1000.0 / delivered,
            outOfOrder);
        open.forEach(SseLoadClient.Stream::close);
        while (gw.server.metrics().streamsOpen() > 0) {
          Thread.sleep(20);
        }
      }
    }
  }
}
