package dev.velocity.preview.operator.token;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Session-token settings (DESIGN.md §5), built from the process environment.
 *
 * @param signingKeyFile PKCS#8 PEM Ed25519 private key ({@code TOKEN_SIGNING_KEY_FILE}); {@code
 *     null} means a key pair is generated at start (local stack)
 * @param signingKeyId the {@code kid} written into minted tokens ({@code TOKEN_SIGNING_KEY_ID})
 * @param publicKeysDir directory of {@code <kid>.pem} X.509 public keys accepted by the verifier
 *     ({@code TOKEN_PUBLIC_KEYS_DIR}); {@code null} for none beyond a generated pair
 * @param issuer the {@code iss} claim ({@code TOKEN_ISSUER})
 * @param ttl the token lifetime ({@code TOKEN_TTL_SECONDS})
 */
public record TokenConfig(
    Path signingKeyFile, String signingKeyId, Path publicKeysDir, String issuer, Duration ttl) {

  /** The only audience a session token is for. */
  public static final String AUDIENCE = "preview-realtime";

  /** Clock skew tolerated on {@code exp} and {@code nbf}. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** {@code kid} used for a generated key pair when none is configured. */
  public static final String GENERATED_KEY_ID = "generated";

  static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final long MIN_TTL_SECONDS = 60;
  private static final long MAX_TTL_SECONDS = 86_400;

  /** Validates; every message names the environment variable at fault. */
  public TokenConfig {
    if (signingKeyId == null || !KEY_ID.matcher(signingKeyId).matches()) {
      throw new IllegalArgumentException(
          "TOKEN_SIGNING_KEY_ID must be 1-64 characters of [A-Za-z0-9._-] starting with a letter"
              + " or digit, got '"
              + signingKeyId
              + "'");
    }
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("TOKEN_ISSUER must not be blank");
    }
    if (ttl == null
        || ttl.getSeconds() < MIN_TTL_SECONDS
        || ttl.getSeconds() > MAX_TTL_SECONDS
        || ttl.getNano() != 0) {
      throw new IllegalArgumentException(
          "TOKEN_TTL_SECONDS must be a whole number of seconds between "
              + MIN_TTL_SECONDS
              + " and "
              + MAX_TTL_SECONDS
              + ", got "
              + ttl);
    }
  }

  /**
   * Reads {@code TOKEN_SIGNING_KEY_FILE}, {@code TOKEN_SIGNING_KEY_ID}, {@code
   * TOKEN_PUBLIC_KEYS_DIR}, {@code TOKEN_ISSUER} (default {@code preview-operator}) and {@code
   * TOKEN_TTL_SECONDS} (default 600).
   *
   * @throws IllegalArgumentException naming the variable that is missing or malformed
   */
  public static TokenConfig fromEnv(Map<String, String> env) {
    Path keyFile = path(env, "TOKEN_SIGNING_KEY_FILE");
    String kid = blankToNull(env.get("TOKEN_SIGNING_KEY_ID"));
    if (kid == null) {
      if (keyFile != null) {
        throw new IllegalArgumentException(
            "TOKEN_SIGNING_KEY_ID is required when TOKEN_SIGNING_KEY_FILE is set");
      }
      kid = GENERATED_KEY_ID;
    }
    String issuer = env.getOrDefault("TOKEN_ISSUER", "preview-operator");
    String ttlText = env.getOrDefault("TOKEN_TTL_SECONDS", "600").trim();
    long ttlSeconds;
    try {
      ttlSeconds = Long.parseLong(ttlText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "TOKEN_TTL_SECONDS must be a number of seconds, got '" + ttlText + "'", e);
    }
    return new TokenConfig(
        keyFile, kid, path(env, "TOKEN_PUBLIC_KEYS_DIR"), issuer, Duration.ofSeconds(ttlSeconds));
  }

  /** Settings for a generated key pair with the default issuer and lifetime (tests, local). */
  public static TokenConfig generated() {
    return fromEnv(Map.of());
  }

  /** The {@code scope} claim of a token for {@code projectId}. */
  public static String scopeFor(java.util.UUID projectId) {
    return "realtime:project:" + projectId + ":read";
  }

  private static Path path(Map<String, String> env, String name) {
    String value = blankToNull(env.get(name));
    try {
      return value == null ? null : Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(name + " is not a valid path: '" + value + "'", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
