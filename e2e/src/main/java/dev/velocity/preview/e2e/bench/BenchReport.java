package dev.velocity.preview.e2e.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The benchmark's result as markdown: setup, machine, command, tables. */
final class BenchReport {
  private BenchReport() {}

  static String render(
      BenchParams params,
      boolean rateLimitOff,
      List<Stats> startup,
      EditLoad.Result edits,
      Resources resources,
      Convergence convergence) {
    StringBuilder md = new StringBuilder();
    md.append("### preview-local bench, ").append(Instant.now()).append("\n\n");
    md.append("- command: `").append(params.commandLine()).append("`\n");
    md.append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(totalMemoryGiB())
        .append(" GiB RAM, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(", ")
        .append(System.getProperty("os.name"))
        .append('\n');
    md.append("- ")
        .append(params.sessions())
        .append(" sessions over ")
        .append(params.projects())
        .append(" projects of ")
        .append(params.files())
        .append(" files (~")
        .append(params.bytes())
        .append(" B each); sessions started ")
        .append(
            params.startEvery().isZero()
                ? params.startConcurrency() + " at a time"
                : "one every " + params.startEvery().toMillis() + " ms")
        .append(
            params.reopen() == 0
                ? ""
                : "; then " + params.reopen() + " more opened one at a time on cached snapshots")
        .append('\n');
    md.append("- edits: ")
        .append(edits.edits())
        .append(" measured (")
        .append(edits.failed())
        .append(" failed) in ")
        .append(edits.measured().toSeconds())
        .append(" s at a target of ")
        .append(params.rate())
        .append("/s; each timed on ")
        .append(params.sampled())
        .append(" random sessions of its project")
        .append(
            rateLimitOff
                ? "; database write rate limit switched off for the run (more than 25 writes/s per owner)"
                : "")
        .append("\n\n");
    md.append("| measurement | samples | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|\n");
    startup.forEach(s -> md.append(s.row()).append('\n'));
    md.append(edits.commit().row()).append('\n');
    md.append(edits.toDisk().row()).append('\n');
    md.append(edits.toServed().row()).append('\n');
    md.append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "- events: %.0f/s sent by the gateway (its counter, whole load), %.0f/s expected deliveries (measured edits × sessions of the edited project)%n",
            resources.eventsSentPerSecond(),
            resources.deliveriesPerSecond()));
    if (resources.separateProcesses()) {
      md.append(
          String.format(
              Locale.ROOT,
              "- heap after a full GC: operator JVM %d MiB, gateway JVM %d MiB; local stack JVM (mock API server, kubelet, S3, benchmark) %d MiB%n",
              resources.operatorHeap() >> 20,
              resources.gatewayHeap() >> 20,
              resources.stackHeapAfterGc() >> 20));
    } else {
      md.append(
          String.format(
              Locale.ROOT,
              "- heap after a full GC: %d MiB of %d MiB max for the whole stack JVM (operator and gateway in-process, with the mock API server, kubelet, S3 and the benchmark)%n",
              resources.stackHeapAfterGc() >> 20,
              resources.stackHeapMax() >> 20));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "- session processes: %d, resident memory %d MiB in total, %d MiB each%n",
            resources.agentProcesses(),
            resources.agentRssTotal() >> 20,
            resources.agentProcesses() == 0
                ? 0
                : (resources.agentRssTotal() / resources.agentProcesses()) >> 20));
    md.append("- convergence: ")
        .append(convergence.sessions() - convergence.mismatched())
        .append('/')
        .append(convergence.sessions())
        .append(" workspaces byte-identical to `list_current_files` after the run")
        .append(
            convergence.mismatched() == 0
                ? ""
                : " — first difference: " + convergence.firstMismatch())
        .append('\n');
    return md.toString();
  }

  private static long totalMemoryGiB() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return Math.round(sun.getTotalMemorySize() / (1024.0 * 1024 * 1024));
    }
    return -1;
  }
}
