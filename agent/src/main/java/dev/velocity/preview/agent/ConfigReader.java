package dev.velocity.preview.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads typed settings from an environment map, failing with a {@link ExitCode#USAGE} message that
 * names the variable. Command-line flags ({@code --workspace-dir=/w}) are merged into the map by
 * {@link Main} under the variable's name before this reader sees it.
 */
public final class ConfigReader {
  private final Map<String, String> env;

  /** A reader over {@code env} (variable name to value). */
  public ConfigReader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The trimmed value of {@code name}, or {@code null} when unset or blank. */
  public String optional(String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    return v.trim();
  }

  /** The value of {@code name}; fails when unset. */
  public String required(String name) {
    String v = optional(name);
    if (v == null) {
      throw bad(name, "is required but not set");
    }
    return v;
  }

  /** The value of {@code name} or {@code fallback}. */
  public String string(String name, String fallback) {
    String v = optional(name);
    return v == null ? fallback : v;
  }

  /** A filesystem path. */
  public Path path(String name, String fallback) {
    String v = string(name, fallback);
    try {
      return Path.of(v).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw bad(name, "is not a valid path: " + v);
    }
  }

  /** A UUID. */
  public UUID uuid(String name) {
    String v = required(name);
    try {
      UUID u = UUID.fromString(v);
      if (!u.toString().equalsIgnoreCase(v)) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw bad(name, "is not a UUID: " + v);
    }
  }

  /** A long in {@code [min, max]}. */
  public long longValue(String name, long fallback, long min, long max) {
    String v = optional(name);
    if (v == null) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name, "is not an integer: " + v);
    }
    if (n < min || n > max) {
      throw bad(name, "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  /** A required long in {@code [min, max]}. */
  public long requiredLong(String name, long min, long max) {
    required(name);
    return longValue(name, 0, min, max);
  }

  /** An int in {@code [min, max]}. */
  public int intValue(String name, int fallback, int min, int max) {
    return (int) longValue(name, fallback, min, max);
  }

  /** A lowercase hex SHA-256 (64 hex digits, case-insensitive on input). */
  public String sha256(String name) {
    String v = required(name).toLowerCase(Locale.ROOT);
    if (!isHex64(v)) {
      throw bad(name, "must be 64 hex digits (a SHA-256), got " + abbreviate(v));
    }
    return v;
  }

  /** An absolute http or https URL. */
  public URI httpUrl(String name) {
    String v = required(name);
    try {
      URI u = new URI(v);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw bad(name, "must be an http(s) URL, got " + abbreviate(v));
      }
      return u;
    } catch (URISyntaxException e) {
      throw bad(name, "is not a valid URL: " + abbreviate(v));
    }
  }

  private static boolean isHex64(String v) {
    if (v.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = v.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The failure for a bad value of {@code name}. */
  public static AgentException bad(String name, String problem) {
    return new AgentException(ExitCode.USAGE, name + " " + problem);
  }

  private static String abbreviate(String v) {
    // presigned URLs carry signatures: never print more than the start
    return v.length() <= 60 ? v : v.substring(0, 60) + "…";
  }
}
