package dev.velocity.preview.e2e;

import dev.velocity.preview.e2e.bench.BenchCommand;
import dev.velocity.preview.e2e.chaos.ChaosCommand;
import dev.velocity.preview.e2e.demo.DemoCommand;
import dev.velocity.preview.e2e.stack.HelperCommands;
import dev.velocity.preview.e2e.stack.UpCommand;

/**
 * {@code preview-local}: the whole system on this machine. Commands: {@code demo} (default), {@code
 * up}, {@code bench}, {@code chaos}, {@code apply FILE}, {@code edit PROJECT PATH FILE}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) {
    // our logging setup, not the operator jar's JSON logs (both are on the shaded classpath)
    System.setProperty("logback.configurationFile", "preview-local-logback.xml");
    Args args = Args.parse(argv, "demo");
    Console console = Console.system();
    int code;
    try {
      code =
          switch (args.command()) {
            case "demo" -> DemoCommand.run(args, console);
            case "up" -> UpCommand.run(args, console);
            case "bench" -> BenchCommand.run(args, console);
            case "chaos" -> ChaosCommand.run(args, console);
            case "apply" -> HelperCommands.apply(args, console);
            case "edit" -> HelperCommands.edit(args, console);
            case "help", "--help", "-h" -> help(console);
            default -> {
              System.err.println("preview-local: unknown command '" + args.command() + "'");
              help(console);
              yield 2;
            }
          };
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("preview-local " + args.command() + ": " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println("preview-local " + args.command() + " failed: " + e);
      code = 1;
    }
    if (!args.command().equals("up")) {
      // the stack's libraries leave non-daemon threads; everything is closed by now
      System.exit(code);
    }
  }

  private static int help(Console console) {
    console.print(
        String.join(
            "\n",
            "usage: java -jar e2e/target/preview-local.jar <command> [options]",
            "",
            "  demo   [--files N] [--dir DIR] [--keep]   the whole flow once, narrated, then stop (default)",
            "  up     [--files N] [--dir DIR] [--keep]   run until Ctrl-C; prints psql, kubeconfig and gateway",
            "  bench  [--sessions N] [--projects N] [--files N] [--bytes N] [--rate EDITS_PER_S]",
            "         [--duration 60s] [--warmup 5s] [--start-concurrency N] [--sample N]",
            "         [--control-plane process|in-process] [--out FILE]   measure latencies and resources",
            "         [--sample-every 60s] [--restart-gateway-every 120s]   soak: a row per window and a periodic fault",
            "  chaos  [--seeds N] [--seed S] [--projects N] [--sessions N] [--faults N] [--duration 90s]",
            "         [--min-gap 2s] [--max-gap 6s] [--convergence-timeout 120s] [--out FILE] [--log FILE] [--verbose]",
            "         seeded trials of edits while faults are injected; exit 1 if an edit was lost",
            "  apply  FILE [--dir DIR]                   create or update the objects of a YAML file",
            "  edit   PROJECT PATH FILE [--dir DIR]      write FILE's content to PATH of PROJECT (as its owner)",
            "",
            "--dir keeps the stack's data in DIR (kept afterwards); without it a temp dir is used and",
            "removed at exit unless --keep is given."));
    return 0;
  }
}
