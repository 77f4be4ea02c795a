package dev.velocity.preview.agent;

import java.util.List;

/**
 * JVM flags for agent processes that share one machine by the hundred (the local stack's process
 * kubelet, and the agent benchmarks that imitate it): small heap, C1 only, serial GC, small stacks,
 * no perf data file. The agent image's launcher sizes the heap from the container's memory limit
 * instead; outside a container there is no limit to size from. The two diagnostic intervals stop an
 * idle JVM from waking up for housekeeping 5 times a second (monitor deflation every 250 ms, a
 * guaranteed safepoint every second): measured 0.6 ms of CPU a second per idle agent, an eighth of
 * a core for 200 of them.
 */
public final class SharedHostJvmFlags {
  /** The flags, without an AppCDS archive (the caller adds one where it has it). */
  public static final List<String> FLAGS =
      List.of(
          "-Xmx48m",
          "-Xss256k",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:-UsePerfData",
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:AsyncDeflationInterval=5000",
          "-XX:GuaranteedSafepointInterval=10000",
          "-Xshare:auto");

  private SharedHostJvmFlags() {}
}
