package dev.velocity.preview.e2e.stack;

import dev.velocity.preview.e2e.Args;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The command-line options every stack-running command shares: {@code --dir}, {@code --keep}. */
public final class StackCli {
  private StackCli() {}

  /** Options from {@code --dir DIR} (default: a fresh temp dir) and {@code --keep}. */
  public static StackOptions options(Args args) {
    Path dir = args.path("dir", null);
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("preview-local-");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory", e);
    }
    // read by preview-local-logback.xml; set before the first logger is created
    System.setProperty("preview.local.log", dir.resolve("stack.log").toString());
    return StackOptions.in(dir.toAbsolutePath(), BuiltJar.AGENT.locate(System.getenv()))
        .withKeep(args.has("keep") || args.path("dir", null) != null)
        .withNamespace(args.string("namespace", "preview"));
  }
}
