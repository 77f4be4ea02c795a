package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.Args;
import java.time.Duration;

/**
 * The chaos run's knobs.
 *
 * @param seed the first trial's seed (trial {@code i} uses {@code seed + i})
 * @param trials trials, each on a fresh stack
 * @param projects projects per trial (at least 2)
 * @param sessions sessions per trial (at least projects + 1: the first project gets two)
 * @param faults faults per trial (at least one of each injectable kind)
 * @param minGap shortest pause before a fault
 * @param maxGap longest pause before a fault
 * @param duration the least time the workload runs (it also runs until the plan is done and the
 *     first session token expired)
 * @param convergenceTimeout how long workspaces may take to equal the database after the last edit
 */
public record ChaosParams(
    long seed,
    int trials,
    int projects,
    int sessions,
    int faults,
    Duration minGap,
    Duration maxGap,
    Duration duration,
    Duration convergenceTimeout) {
  public ChaosParams {
    if (projects < 2) {
      throw new IllegalArgumentException("--projects must be at least 2, got " + projects);
    }
    if (sessions < projects + 1) {
      throw new IllegalArgumentException(
          "--sessions must be at least --projects + 1 (" + (projects + 1) + "), got " + sessions);
    }
    int kinds = FaultKind.injectable().size();
    if (faults < kinds) {
      throw new IllegalArgumentException(
          "--faults must be at least " + kinds + " (one of each kind), got " + faults);
    }
    if (maxGap.compareTo(minGap) < 0) {
      throw new IllegalArgumentException("--max-gap must not be below --min-gap");
    }
  }

  /**
   * The quick variant the {@code verify} build runs: every fault once; the edits last until the
   * first one-minute session token expired, so about 80–90 s in all.
   */
  public static ChaosParams quick(long seed) {
    return new ChaosParams(
        seed,
        1,
        2,
        3,
        FaultKind.injectable().size(),
        Duration.ofMillis(1500),
        Duration.ofMillis(3000),
        Duration.ofSeconds(20),
        Duration.ofSeconds(120));
  }

  /** From the {@code chaos} command line. */
  public static ChaosParams from(Args args) {
    return new ChaosParams(
        args.integer("seed", 1, 0, Integer.MAX_VALUE),
        args.integer("seeds", 3, 1, 1000),
        args.integer("projects", 3, 2, 50),
        args.integer("sessions", 5, 3, 100),
        args.integer("faults", 14, 1, 1000),
        args.duration("min-gap", Duration.ofSeconds(2)),
        args.duration("max-gap", Duration.ofSeconds(6)),
        args.duration("duration", Duration.ofSeconds(90)),
        args.duration("convergence-timeout", Duration.ofSeconds(120)));
  }

  /** The command line that reproduces this run. */
  public String commandLine() {
    return "java -jar e2e/target/preview-local.jar chaos --seed "
        + seed
        + " --seeds "
        + trials
        + " --projects "
        + projects
        + " --sessions "
        + sessions
        + " --faults "
        + faults
        + " --min-gap "
        + minGap.toMillis()
        + "ms --max-gap "
        + maxGap.toMillis()
        + "ms --duration "
        + duration.toSeconds()
        + "s --convergence-timeout "
        + convergenceTimeout.toSeconds()
        + "s";
  }
}
