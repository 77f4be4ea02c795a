package dev.velocity.preview.agent;

import dev.velocity.preview.agent.hydrate.HydrateConfig;
import dev.velocity.preview.agent.hydrate.Hydrator;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's entry point: {@code hydrate} (init container) and {@code sync} (sidecar), configured
 * by environment variables that flags may override. Exits with an {@link ExitCode}; any failure
 * prints exactly one line on stderr (and into the termination-message file when it exists).
 */
public final class Main {
  /** Where Kubernetes reads a container's termination message from (written when present). */
  static final String TERMINATION_LOG = "/dev/termination-log";

  private Main() {}

  /** Runs the command named by {@code args[0]} and exits the JVM with its exit code. */
  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    System.exit(code);
  }

  /** Runs a command and returns its exit code (the JVM is left running: tests call this). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(usage());
      return args.length == 0 ? ExitCode.USAGE.code() : ExitCode.OK.code();
    }
    if (args[0].equals("cds-training")) {
      try {
        return CdsTraining.run();
      } catch (java.io.IOException | RuntimeException e) {
        err.println("preview-agent cds-training: " + e);
        return ExitCode.INTERNAL.code();
      }
    }
    CommandSpec spec =
        switch (args[0]) {
          case "hydrate" -> CommandSpec.HYDRATE;
          case "sync" -> CommandSpec.SYNC;
          default -> null;
        };
    if (spec == null) {
      err.println("preview-agent: unknown command '" + args[0] + "' (expected hydrate or sync)");
      return ExitCode.USAGE.code();
    }
    try {
      Map<String, String> merged = new HashMap<>(env);
      for (int i = 1; i < args.length; i++) {
        if (args[i].equals("--help") || args[i].equals("-h")) {
          out.print(spec.help());
          return ExitCode.OK.code();
        }
        applyFlag(spec, args[i], merged);
      }
      if (spec == CommandSpec.HYDRATE) {
        return hydrate(merged, out);
      }
      return dev.velocity.preview.agent.sync.SyncCommand.run(merged);
    } catch (AgentException e) {
      return fail(spec.name(), e.exitCode(), e.getMessage(), err, env);
    } catch (RuntimeException | Error e) {
      String m =
          e.getMessage() == null
              ? e.getClass().getName()
              : e.getClass().getName() + ": " + e.getMessage();
      return fail(spec.name(), ExitCode.INTERNAL, "internal error: " + m, err, env);
    }
  }

  private static int hydrate(Map<String, String> env, PrintStream out) {
    long start = System.nanoTime();
    HydrateConfig config = HydrateConfig.fromEnv(env);
    Hydrator.Result r = new Hydrator(config).run(false);
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (r.skipped()) {
      out.println(
          "workspace already holds project " + config.projectId() + " at revision " + r.revision());
    } else {
      out.println(
          "hydrated project "
              + config.projectId()
              + " at revision "
              + r.revision()
              + ": "
              + r.files()
              + " files, "
              + r.bytes()
              + " bytes ("
              + r.downloaded()
              + " downloaded) in "
              + ms
              + " ms ("
              + r.phases()
              + ")");
    }
    return ExitCode.OK.code();
  }

  private static void applyFlag(CommandSpec spec, String arg, Map<String, String> env) {
    int eq = arg.indexOf('=');
    if (!arg.startsWith("--") || eq < 0) {
      throw new AgentException(
          ExitCode.USAGE, "unexpected argument '" + arg + "' (flags look like --workspace-dir=/w)");
    }
    String flag = arg.substring(0, eq);
    for (CommandSpec.Variable v : spec.variables()) {
      if (v.flag().equals(flag)) {
        env.put(v.name(), arg.substring(eq + 1));
        return;
      }
    }
    throw new AgentException(
        ExitCode.USAGE, "unknown flag " + flag + " (see preview-agent " + spec.name() + " --help)");
  }

  private static int fail(
      String command, ExitCode code, String message, PrintStream err, Map<String, String> env) {
    String line = "preview-agent " + command + ": " + message.replace('\n', ' ');
    err.println(line);
    Path log = Path.of(env.getOrDefault("TERMINATION_MESSAGE_PATH", TERMINATION_LOG));
    if (Files.isWritable(log)) {
      try {
        Files.writeString(log, line, StandardCharsets.UTF_8);
      } catch (java.io.IOException | RuntimeException ignored) {
        // the stderr line is the message of record; the termination log is a courtesy
      }
    }
    return code.code();
  }

  static String usage() {
    return "usage: preview-agent <command> [--flag=value ...]\n\n"
        + "commands:\n"
        + "  hydrate   "
        + CommandSpec.HYDRATE.summary()
        + "\n  sync      "
        + CommandSpec.SYNC.summary()
        + "\n  cds-training  (image build) hydrate and sync a sample project once, so that"
        + "\n                -XX:ArchiveClassesAtExit can record the classes both commands load"
        + "\n\nRun 'preview-agent <command> --help' for its variables and exit codes.\n";
  }
}
