package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.stack.LocalStack;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory and throughput after the load: each JVM's heap after a full GC (the operator and the
 * gateway apart when they run as their own processes), the resident memory of the session processes
 * (agent JVMs) and events per second.
 *
 * @param stackHeapAfterGc heap used by the local stack JVM after a full GC, bytes
 * @param stackHeapMax the local stack JVM's max heap, bytes
 * @param operatorHeap the operator JVM's heap after a full GC (-1 when it runs in the stack JVM)
 * @param gatewayHeap the gateway JVM's heap after a full GC (-1 when it runs in the stack JVM)
 * @param separateProcesses whether the operator and gateway ran as their own JVMs
 * @param agentProcesses session processes alive
 * @param agentRssTotal their resident memory, bytes
 * @param deliveriesPerSecond expected deliveries per second (measured edits × sessions of the
 *     edited project, over the measured window)
 * @param eventsSentPerSecond events the gateway sent per second during the load (its counter)
 */
record Resources(
    long stackHeapAfterGc,
    long stackHeapMax,
    long operatorHeap,
    long gatewayHeap,
    boolean separateProcesses,
    int agentProcesses,
    long agentRssTotal,
    double deliveriesPerSecond,
    double eventsSentPerSecond) {

  static Resources measure(LocalStack stack, EditLoad.Result edits, double eventsSentPerSecond) {
    System.gc();
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    List<ProcessHandle> processes = stack.kubelet().processes();
    long rss = processes.stream().mapToLong(Resources::rss).sum();
    double seconds = edits.measured().toMillis() / 1000.0;
    boolean separate = stack.options().separateProcesses();
    return new Resources(
        heap.getUsed(),
        heap.getMax(),
        separate ? stack.operator().heapUsed() : -1,
        separate ? stack.gateway().heapUsed() : -1,
        separate,
        processes.size(),
        rss,
        edits.deliveries() / seconds,
        eventsSentPerSecond);
  }

  /** {@code preview_gateway_events_sent_total} from the gateway's {@code /metrics}. */
  static double eventsSent(LocalStack stack) {
    return gatewayMetric(stack, "preview_gateway_events_sent_total");
  }

  /**
   * The sum of the series of {@code name} on the gateway's {@code /metrics}, NaN if unreachable.
   */
  static double gatewayMetric(LocalStack stack, String name) {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return body.lines()
          .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  private static long rss(ProcessHandle p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone, or not Linux: not counted
    }
    return 0;
  }
}
