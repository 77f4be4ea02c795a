package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.Args;
import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.stack.BuiltJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chaos}: N seeded trials, each on a fresh local stack with short session tokens, editing
 * several projects while faults are injected, then checking that every workspace equals its
 * project, nothing was lost and nothing leaked. Prints trials, faults by kind, edits made, edits
 * lost and the longest convergence; exits 1 when anything was lost, did not converge or leaked.
 */
public final class ChaosCommand {
  private ChaosCommand() {}

  public static int run(Args args, Console console) throws Exception {
    ChaosParams params = ChaosParams.from(args);
    Path out = args.path("out", null);
    boolean verbose = args.has("verbose");
    Path logFile =
        args.path(
            "log",
            Path.of(
                System.getProperty("java.io.tmpdir"), "preview-chaos-" + params.seed() + ".log"));
    args.requireAllRead();
    // set before the first logger exists: the faults make the stack warn by design, so warnings go
    // to the log file (kept; each trial's directory is removed), not the console
    System.setProperty("preview.local.log", logFile.toAbsolutePath().toString());
    System.setProperty("preview.local.console", verbose ? "WARN" : "OFF");
    Path agentJar = BuiltJar.AGENT.locate(System.getenv());
    console.line("chaos: " + params.commandLine() + " (log: " + logFile + ")");
    List<TrialResult> trials = new ArrayList<>();
    for (int i = 0; i < params.trials(); i++) {
      long seed = params.seed() + i;
      Path dir = Files.createTempDirectory("preview-chaos-" + seed + "-");
      console.line("trial " + (i + 1) + "/" + params.trials() + ", seed " + seed);
      long began = System.nanoTime();
      TrialResult t;
      try {
        t =
            ChaosTrial.run(
                params,
                seed,
                dir,
                agentJar,
                line -> {
                  if (verbose || !line.startsWith("stack: ")) {
                    console.line("  " + line);
                  }
                });
      } catch (RuntimeException e) {
        t = TrialResult.aborted(seed, e, java.time.Duration.ofNanos(System.nanoTime() - began));
      }
      console.line(
          "  seed "
              + seed
              + ": "
              + (t.passed() ? "passed" : "FAILED")
              + ", "
              + t.edits()
              + " edits, "
              + t.lost()
              + " lost, converged in "
              + t.convergence().toMillis()
              + " ms");
      trials.add(t);
    }
    String report = ChaosReport.render(params, trials);
    console.print(report);
    if (out != null) {
      Files.writeString(out, report);
      console.line("report written to " + out);
    }
    return trials.stream().allMatch(TrialResult::passed) ? 0 : 1;
  }
}
