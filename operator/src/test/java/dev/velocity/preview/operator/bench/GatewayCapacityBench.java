package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.GatewayFixture;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Open streams per GiB: the gateway runs here (start this JVM with {@code -Xmx1g}), the streams
 * come from a client in a separate JVM; reports heap and direct memory per open stream and checks
 * every stream still receives events.
 *
 * <p>Run: {@code java -Xmx1g -cp <test classpath>
 * dev.velocity.preview.operator.bench.GatewayCapacityBench [streams=5000]}
 */
public final class GatewayCapacityBench {
  private GatewayCapacityBench() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int perSession = 100;
    int events = 5;
    try (GatewayFixture gw = GatewayBenchSupport.gateway(perSession)) {
      UUID project = gw.newProject();
      Path tokenFile = GatewayBenchSupport.tokenFile(gw, project, streams, perSession);
      long heapBefore = settledHeap();
      long directBefore = PlatformDependent.usedDirectMemory();
      Process child =
          GatewayBenchSupport.startLoadClient(gw, project, tokenFile, streams, events, null, false);
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        long t0 = System.nanoTime();
        expect(out, "OPEN");
        while (gw.server.metrics().streamsOpen() < streams) {
          Thread.sleep(20);
        }
        long openMillis = (System.nanoTime() - t0) / 1_000_000;
        long heapAfter = settledHeap();
        long directAfter = PlatformDependent.usedDirectMemory();
        for (int i = 0; i < events; i++) {
          gw.write(project, "f.ts", "v" + i);
        }
        String received = expect(out, "RECEIVED");
        long heapWithEvents = settledHeap();
        System.out.println("machine: " + GatewayBenchSupport.machine());
        System.out.printf(
            "%d streams open after %d ms; heap %d -> %d MiB (%.1f KiB per stream);"
                + " Netty direct %d -> %d KiB; after %d events to every stream (%s):"
                + " heap %d MiB; VmRSS %s%n",
            streams,
            openMillis,
            heapBefore >> 20,
            heapAfter >> 20,
            (heapAfter - heapBefore) / 1024.0 / streams,
            directBefore >> 10,
            directAfter >> 10,
            events,
            received,
            heapWithEvents >> 20,
            rss());
      } finally {
        child.getOutputStream().close();
        child.destroy();
        Files.deleteIfExists(tokenFile);
      }
    }
  }

  private static String expect(BufferedReader out, String prefix) throws Exception {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
      if (line.startsWith("FAILED")) {
        throw new IllegalStateException("load client: " + line);
      }
    }
    throw new IllegalStateException("load client ended before " + prefix);
  }

  private static long settledHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String rss() {
    try {
      return Files.readAllLines(new File("/proc/self/status").toPath()).stream()
          .filter(l -> l.startsWith("VmRSS"))
          .map(l -> l.replaceAll("\\s+", " ").substring(7))
          .findFirst()
          .orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }
}
