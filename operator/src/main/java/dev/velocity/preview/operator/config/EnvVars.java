package dev.velocity.preview.operator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads typed values from an environment map; every failure names the variable and says what is
 * expected.
 */
public final class EnvVars {

  private final Map<String, String> env;

  public EnvVars(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The raw map. */
  public Map<String, String> asMap() {
    return env;
  }

  /** The trimmed value, empty when unset or blank. */
  public Optional<String> optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The trimmed value; fails when unset or blank. */
  public String required(String name, String what) {
    return optional(name)
        .orElseThrow(() -> new IllegalArgumentException(name + " must be set: " + what));
  }

  /** An integer within {@code [min, max]}, {@code fallback} when unset. */
  public int integer(String name, int fallback, int min, int max) {
    Optional<String> text = optional(name);
    if (text.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number, got '" + text.get() + "'", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** A number of seconds within {@code [min, max]}, {@code fallback} when unset. */
  public Duration seconds(String name, int fallback, int min, int max) {
    return Duration.ofSeconds(integer(name, fallback, min, max));
  }

  /** {@code true} or {@code false} (any case), {@code fallback} when unset. */
  public boolean bool(String name, boolean fallback) {
    Optional<String> text = optional(name);
    if (text.isEmpty()) {
      return fallback;
    }
    return switch (text.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              name + " must be true or false, got '" + text.get() + "'");
    };
  }

  /** An absolute http(s) URL without query or fragment. */
  public URI httpUrl(String name, String what) {
    String text = required(name, what);
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            name + " must be an absolute http:// or https:// URL, got '" + text + "'");
      }
      if (uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            name + " must not carry credentials, a query or a fragment, got '" + text + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a valid URL: '" + text + "'", e);
    }
  }
}
