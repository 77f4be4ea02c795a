package dev.velocity.preview.e2e;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What a person sees: one line per phase with the time it took, and a progress line for long steps
 * (redrawn in place on a terminal, printed every tenth otherwise).
 */
public final class Console {
  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private int lastDecile = -1;

  public Console(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** A console on standard output, redrawing when it is a terminal. */
  public static Console system() {
    return new Console(System.out, System.console() != null);
  }

  /** {@code [ 12.3s] what}. */
  public synchronized void line(String what) {
    out.printf(Locale.ROOT, "[%7.1fs] %s%n", elapsedSeconds(), what);
    out.flush();
    lastDecile = -1;
  }

  /** {@code [ 12.3s] what (took 123 ms)}. */
  public synchronized void done(String what, Duration took) {
    line(what + " (" + millis(took) + ")");
  }

  /** A progress line for a long step. */
  public synchronized void progress(String what, long done, long total) {
    int decile = total <= 0 ? 10 : (int) (done * 10 / total);
    String text =
        String.format(
            Locale.ROOT,
            "[%7.1fs] %s %d/%d %s",
            elapsedSeconds(),
            what,
            done,
            total,
            bar(done, total));
    if (terminal) {
      out.print("\r" + text + (done >= total ? System.lineSeparator() : ""));
      out.flush();
    } else if (decile != lastDecile) {
      lastDecile = decile;
      out.println(text);
    }
  }

  /** Plain text, no time stamp. */
  public synchronized void print(String text) {
    out.println(text);
    out.flush();
  }

  /** Human-readable milliseconds. */
  public static String millis(Duration d) {
    long ms = d.toMillis();
    return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : ms + " ms";
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String bar(long done, long total) {
    int width = 20;
    int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
    return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
  }
}
