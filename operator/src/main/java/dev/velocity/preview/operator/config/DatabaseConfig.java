package dev.velocity.preview.operator.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the operator and the gateway reach PostgreSQL (as a login role granted {@code
 * preview_operator}).
 *
 * @param url {@code DATABASE_URL}, a {@code jdbc:postgresql://} URL without credentials
 * @param user {@code DATABASE_USER}
 * @param password {@code DATABASE_PASSWORD} (may be empty for trust or certificate auth)
 * @param poolSize {@code DATABASE_POOL_SIZE} (default 10)
 * @param connectTimeout {@code DATABASE_CONNECT_TIMEOUT_SECONDS} (default 5): how long a request
 *     waits for a connection before it fails (and the reconciliation retries)
 */
public record DatabaseConfig(
    String url, String user, String password, int poolSize, Duration connectTimeout) {

  /** Checks the fields; messages name the variable. */
  public DatabaseConfig {
    checkUrl(url);
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException(
          "DATABASE_USER must be set: the login role of the operator");
    }
    Objects.requireNonNull(password, "password");
    if (poolSize < 1 || poolSize > 500) {
      throw new IllegalArgumentException(
          "DATABASE_POOL_SIZE must be between 1 and 500, got " + poolSize);
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /** Reads the {@code DATABASE_*} variables. */
  public static DatabaseConfig fromEnv(EnvVars env) {
    String url = env.required("DATABASE_URL", "the jdbc:postgresql:// URL of the project database");
    checkUrl(url);
    return new DatabaseConfig(
        url,
        env.required("DATABASE_USER", "the login role of the operator"),
        env.optional("DATABASE_PASSWORD").orElse(""),
        env.integer("DATABASE_POOL_SIZE", 10, 1, 500),
        env.seconds("DATABASE_CONNECT_TIMEOUT_SECONDS", 5, 1, 300));
  }

  private static void checkUrl(String url) {
    if (url == null || !url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(
          "DATABASE_URL must be a jdbc:postgresql://host:port/database URL, got '" + url + "'");
    }
    if (url.matches("(?i).*[?&](password|user)=.*")) {
      throw new IllegalArgumentException(
          "DATABASE_URL must not carry credentials; use DATABASE_USER and DATABASE_PASSWORD");
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + url
        + ", user="
        + user
        + ", poolSize="
        + poolSize
        + ", connectTimeout="
        + connectTimeout
        + "]";
  }
}
