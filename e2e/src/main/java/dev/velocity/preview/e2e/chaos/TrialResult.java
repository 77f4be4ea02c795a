package dev.velocity.preview.e2e.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one seeded trial did and found.
 *
 * @param seed its seed
 * @param faults faults injected by kind ({@link FaultKind#SHORT_TOKENS}: tokens replaced)
 * @param tokensExpired session tokens that expired during the trial (each ends a stream: reauth)
 * @param reauths streams the gateway ended with {@code reauth} (an expired token)
 * @param failedPhases times a session entered {@code Failed} during the trial and then recovered
 *     (reported, not a failure: every session must be Running at the end)
 * @param edits file changes the database acknowledged
 * @param operations acknowledged calls by kind
 * @param retries calls repeated after a transient database failure
 * @param lostInDatabase acknowledged changes the database does not hold (path missing, extra or
 *     with other content in {@code list_current_files})
 * @param lostInWorkspaces paths, summed over sessions, whose workspace still differs from the
 *     database after the convergence timeout
 * @param converged every workspace equalled its project, with no temp file left
 * @param convergence time from the last edit until every workspace equalled its project
 * @param findings everything wrong: faults that could not be injected, diffs, leaks
 * @param wallTime the trial's duration, stack start and stop included
 */
public record TrialResult(
    long seed,
    Map<FaultKind, Integer> faults,
    int tokensExpired,
    long reauths,
    int failedPhases,
    long edits,
    Map<String, Long> operations,
    long retries,
    long lostInDatabase,
    long lostInWorkspaces,
    boolean converged,
    Duration convergence,
    List<String> findings,
    Duration wallTime) {
  public TrialResult {
    faults = Map.copyOf(faults);
    operations = Map.copyOf(operations);
    findings = List.copyOf(findings);
  }

  /** A trial that could not finish (the stack or a session did not start, say). */
  public static TrialResult aborted(long seed, Exception cause, Duration wallTime) {
    return new TrialResult(
        seed,
        Map.of(),
        0,
        0,
        0,
        0,
        Map.of(),
        0,
        0,
        0,
        false,
        Duration.ZERO,
        List.of("trial aborted: " + cause),
        wallTime);
  }

  /** Edits lost, wherever. */
  public long lost() {
    return lostInDatabase + lostInWorkspaces;
  }

  /** Nothing lost, everything converged, nothing leaked. */
  public boolean passed() {
    return lost() == 0 && converged && findings.isEmpty();
  }
}
