package dev.velocity.preview.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code <command> [positional ...] [--flag=value | --flag value | --switch]}.
 * Every flag read is remembered so an unknown one can be reported.
 */
public final class Args {
  private final String command;
  private final List<String> positional;
  private final Map<String, String> flags;
  private final Set<String> read = new HashSet<>();

  private Args(String command, List<String> positional, Map<String, String> flags) {
    this.command = command;
    this.positional = positional;
    this.flags = flags;
  }

  /** Parses {@code argv}; the command defaults to {@code fallback}. */
  public static Args parse(String[] argv, String fallback) {
    List<String> positional = new ArrayList<>();
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          flags.put(a.substring(2, eq), a.substring(eq + 1));
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
          flags.put(a.substring(2), argv[++i]);
        } else {
          flags.put(a.substring(2), "true");
        }
      } else {
        positional.add(a);
      }
    }
    String command = positional.isEmpty() ? fallback : positional.remove(0);
    return new Args(command, positional, flags);
  }

  public String command() {
    return command;
  }

  public List<String> positional() {
    return positional;
  }

  /** A switch ({@code --keep}). */
  public boolean has(String flag) {
    read.add(flag);
    return flags.containsKey(flag) && !"false".equals(flags.get(flag));
  }

  public String string(String flag, String fallback) {
    read.add(flag);
    return flags.getOrDefault(flag, fallback);
  }

  public int integer(String flag, int fallback, int min, int max) {
    read.add(flag);
    String raw = flags.get(flag);
    if (raw == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.strip());
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            "--" + flag + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be an integer, got '" + raw + "'");
    }
  }

  /** A duration as {@code 90s}, {@code 2m} or plain seconds. */
  public Duration duration(String flag, Duration fallback) {
    read.add(flag);
    String raw = flags.get(flag);
    if (raw == null) {
      return fallback;
    }
    String s = raw.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(
          Long.parseLong(s.endsWith("s") ? s.substring(0, s.length() - 1) : s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + flag + " must be a duration like 60s or 2m, got '" + raw + "'");
    }
  }

  public Path path(String flag, Path fallback) {
    read.add(flag);
    String raw = flags.get(flag);
    return raw == null ? fallback : Path.of(raw);
  }

  /** Fails on a flag no command read (a typo). */
  public void requireAllRead() {
    for (String flag : flags.keySet()) {
      if (!read.contains(flag)) {
        throw new IllegalArgumentException("unknown option --" + flag + " for '" + command + "'");
      }
    }
  }
}
