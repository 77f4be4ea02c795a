package dev.velocity.preview.e2e.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The chaos run's result as markdown: totals, faults by kind, one row per trial, findings. */
public final class ChaosReport {
  private ChaosReport() {}

  /** Faults injected over every trial, by kind. */
  public static Map<FaultKind, Integer> faultsByKind(List<TrialResult> trials) {
    Map<FaultKind, Integer> out = new EnumMap<>(FaultKind.class);
    for (FaultKind k : FaultKind.values()) {
      out.put(k, 0);
    }
    trials.forEach(t -> t.faults().forEach((k, n) -> out.merge(k, n, Integer::sum)));
    return out;
  }

  /** The report of {@code trials} run with {@code params}. */
  public static String render(ChaosParams params, List<TrialResult> trials) {
    long edits = trials.stream().mapToLong(TrialResult::edits).sum();
    long lost = trials.stream().mapToLong(TrialResult::lost).sum();
    Duration maxConvergence =
        trials.stream()
            .map(TrialResult::convergence)
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    long passed = trials.stream().filter(TrialResult::passed).count();
    StringBuilder md = new StringBuilder();
    md.append("### preview-local chaos, ").append(Instant.now()).append("\n\n");
    md.append("- command: `").append(params.commandLine()).append("`\n");
    md.append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append('\n');
    md.append("- trials: ").append(trials.size()).append(" (").append(passed).append(" passed)\n");
    md.append("- edits made: ").append(edits).append('\n');
    md.append("- edits lost: ").append(lost).append(" (must be 0)\n");
    md.append("- max convergence time: ").append(maxConvergence.toMillis()).append(" ms\n\n");
    md.append("| fault | injected |\n|---|---|\n");
    faultsByKind(trials)
        .forEach((k, n) -> md.append("| ").append(k).append(" | ").append(n).append(" |\n"));
    md.append("\n(SHORT_TOKENS counts session tokens the operator replaced; tokens expired")
        .append(" during the trials: ")
        .append(trials.stream().mapToInt(TrialResult::tokensExpired).sum())
        .append("; streams the gateway ended with reauth: ")
        .append(trials.stream().mapToLong(TrialResult::reauths).sum())
        .append(")\n\n- sessions that passed through `Failed` and recovered: ")
        .append(trials.stream().mapToInt(TrialResult::failedPhases).sum())
        .append("\n\n");
    md.append(
        "| seed | edits | retries | lost | converged | convergence | faults | wall time |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (TrialResult t : trials) {
      md.append("| ")
          .append(t.seed())
          .append(" | ")
          .append(t.edits())
          .append(" | ")
          .append(t.retries())
          .append(" | ")
          .append(t.lost())
          .append(" | ")
          .append(t.converged() ? "yes" : "NO")
          .append(" | ")
          .append(t.convergence().toMillis())
          .append(" ms | ")
          .append(
              FaultKind.injectable().stream().mapToInt(k -> t.faults().getOrDefault(k, 0)).sum())
          .append(" | ")
          .append(t.wallTime().toSeconds())
          .append(" s |\n");
    }
    for (TrialResult t : trials) {
      for (String f : t.findings()) {
        md.append("\n- seed ").append(t.seed()).append(": ").append(f);
      }
    }
    return md.append('\n').toString();
  }
}
