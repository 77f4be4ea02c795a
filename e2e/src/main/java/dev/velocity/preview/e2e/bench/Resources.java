package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.stack.LocalStack;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory and throughput after the load: the local stack JVM's heap (operator, gateway, mock API
 * server, kubelet, S3 and the benchmark itself share it), the resident memory of the session
 * processes (agent JVMs) and event deliveries per second.
 *
 * @param stackHeapAfterGc heap used by this JVM after a full GC, bytes
 * @param stackHeapMax this JVM's max heap, bytes
 * @param agentProcesses session processes alive
 * @param agentRssTotal their resident memory, bytes
 * @param deliveriesPerSecond events delivered to sessions per second (edits × sessions of the
 *     project, over the measured window)
 */
record Resources(
    long stackHeapAfterGc,
    long stackHeapMax,
    int agentProcesses,
    long agentRssTotal,
    double deliveriesPerSecond) {
  static Resources measure(LocalStack stack, int sessions, EditLoad.Result edits) {
    System.gc();
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    List<ProcessHandle> processes = stack.kubelet().processes();
    long rss = processes.stream().mapToLong(Resources::rss).sum();
    double seconds = edits.measured().toMillis() / 1000.0;
    return new Resources(
        heap.getUsed(), heap.getMax(), processes.size(), rss, edits.deliveries() / seconds);
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
