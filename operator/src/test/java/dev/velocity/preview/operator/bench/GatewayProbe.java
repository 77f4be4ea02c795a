package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.realtime.GatewayFixture;
import dev.velocity.preview.operator.realtime.SseLoadClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

public class GatewayProbe {
  static long lastCpu;

  static long cpu() {
    long now =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    long d = now - lastCpu;
    lastCpu = now;
    return d;
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    try (GatewayFixture gw =
            GatewayFixture.start(
                GatewayConfig.fromEnv(
                    Map.of("GATEWAY_PORT", "0", "GATEWAY_MAX_STREAMS_PER_SESSION", "1000")),
                b -> {});
        SseLoadClient client = new SseLoadClient(2)) {
      for (int round = 0; round < 3; round++) {
        UUID project = gw.newProject();
        long sentBefore = gw.server.metrics().eventsSentTotal();
        long openBefore = gw.server.metrics().streamsOpen();
        cpu();
        long t0 = System.nanoTime();
        List<String> tokens = new ArrayList<>();
        String tok = gw.session(project).token();
        for (int i = 0; i < n; i++) tokens.add(tok);
        long t1 = System.nanoTime();
        System.out.printf("mint %d: %d ms%n", n, (t1 - t0) / 1_000_000);
        String path = "/v1/projects/" + project + "/events";
        for (String t : tokens) client.open(gw.server.port(), path, t, 0, 10);
        while (gw.server.metrics().streamsOpen() < openBefore + n) Thread.sleep(10);
        long t2 = System.nanoTime();
        System.out.printf(
            "open %d: %d ms, jvm cpu %d ms%n", n, (t2 - t1) / 1_000_000, cpu() / 1_000_000);
        int events = Integer.parseInt(args[1]);
        long t3 = System.nanoTime();
        for (int i = 0; i < events; i++) gw.write(project, "f" + (i % 10) + ".ts", "x" + i);
        long t4 = System.nanoTime();
        System.out.printf(
            "write %d: %d ms, jvm cpu %d ms%n", events, (t4 - t3) / 1_000_000, cpu() / 1_000_000);
        while (gw.server.metrics().eventsSentTotal() - sentBefore < (long) n * events)
          Thread.sleep(5);
        long t5 = System.nanoTime();
        System.out.printf(
            "delivered %d: %d ms after first write, jvm cpu %d ms%n",
            (long) n * events, (t5 - t3) / 1_000_000, cpu() / 1_000_000);
      }
    }
  }
}
