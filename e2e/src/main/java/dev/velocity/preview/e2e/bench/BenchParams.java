package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.Args;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's knobs.
 *
 * @param sessions PreviewSessions to run at once
 * @param projects projects they are spread over (round robin); by default one per session, as in an
 *     app builder where each user's project has its own preview
 * @param files files per project
 * @param bytes approximate bytes per file
 * @param rate edits per second (single-file upserts through the SQL function)
 * @param duration how long edits are measured
 * @param warmup edits made before measuring starts
 * @param startConcurrency sessions being started at the same time (when {@code startEvery} is zero)
 * @param startEvery when not zero, one session is created every {@code startEvery} (the first
 *     session of every project first), whatever the others are doing: a steady arrival rate instead
 *     of a fixed number in flight
 * @param reopen sessions opened (and deleted again) one after another once all sessions run and
 *     before the edits, on projects whose snapshot exists: CR → Running with a cached snapshot on a
 *     machine that hosts all the other sessions
 * @param sampled sessions per edit whose workspace and page are timed (all are checked at the end)
 * @param sampleEvery length of a window of the over-time table (memory, threads, connections,
 *     latency per window); zero for none
 * @param restartGatewayEvery a fault injected periodically during the load: the gateway killed and
 *     restarted; zero for none
 * @param out markdown report file (also printed)
 */
record BenchParams(
    int sessions,
    int projects,
    int files,
    int bytes,
    int rate,
    Duration duration,
    Duration warmup,
    int startConcurrency,
    Duration startEvery,
    int reopen,
    int sampled,
    Duration sampleEvery,
    Duration restartGatewayEvery,
    Path out) {

  static BenchParams from(Args args) {
    int sessions = args.integer("sessions", 200, 1, 5000);
    int projects = args.integer("projects", sessions, 1, 5000);
    if (projects > sessions) {
      throw new IllegalArgumentException(
          "--projects (" + projects + ") must not exceed --sessions (" + sessions + ")");
    }
    return new BenchParams(
        sessions,
        projects,
        args.integer("files", 1000, 12, 100_000),
        args.integer("bytes", 1024, 16, 10 * 1024 * 1024),
        args.integer("rate", 100, 1, 10_000),
        args.duration("duration", Duration.ofSeconds(60)),
        args.duration("warmup", Duration.ofSeconds(5)),
        args.integer("start-concurrency", 4, 1, 64),
        args.duration("start-every", Duration.ZERO),
        args.integer("reopen", 0, 0, 1000),
        args.integer("sample", 2, 1, 100),
        args.duration("sample-every", Duration.ZERO),
        args.duration("restart-gateway-every", Duration.ZERO),
        args.path("out", null));
  }

  /** The command line that reproduces this run. */
  String commandLine() {
    return "java -jar e2e/target/preview-local.jar bench --sessions "
        + sessions
        + " --projects "
        + projects
        + " --files "
        + files
        + " --bytes "
        + bytes
        + " --rate "
        + rate
        + " --duration "
        + duration.toSeconds()
        + "s --warmup "
        + warmup.toSeconds()
        + "s"
        + (startEvery.isZero()
            ? " --start-concurrency " + startConcurrency
            : " --start-every " + startEvery.toMillis() + "ms")
        + (reopen == 0 ? "" : " --reopen " + reopen)
        + " --sample "
        + sampled
        + (sampleEvery.isZero() ? "" : " --sample-every " + sampleEvery.toSeconds() + "s")
        + (restartGatewayEvery.isZero()
            ? ""
            : " --restart-gateway-every " + restartGatewayEvery.toSeconds() + "s");
  }
}
