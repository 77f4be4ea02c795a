package dev.velocity.preview.operator.token;

import io.jsonwebtoken.Jwts;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints session tokens (DESIGN.md §5): EdDSA (Ed25519) JWS with a {@code kid} header, allowing only
 * the reading of one project's realtime stream.
 */
public final class TokenMinter {
  private final TokenConfig config;
  private final String kid;
  private final java.security.PrivateKey key;
  private final Clock clock;
  private final TokenMetrics metrics;

  /** A minter on the system clock, counting into the default registry. */
  public TokenMinter(TokenConfig config, TokenKeys keys) {
    this(config, keys, Clock.systemUTC(), TokenMetrics.defaults());
  }

  /** A minter on {@code clock}, counting into {@code metrics}. */
  public TokenMinter(TokenConfig config, TokenKeys keys, Clock clock, TokenMetrics metrics) {
    this.config = Objects.requireNonNull(config, "config");
    this.kid =
        keys.signingKeyId()
            .orElseThrow(() -> new IllegalArgumentException("token keys have no signing key"));
    this.key = keys.signingKey();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * A token for session {@code namespace/name} (UID {@code sessionUid}) reading {@code projectId}.
   */
  public MintedToken mint(String sessionUid, String namespace, String name, UUID projectId) {
    requireText(sessionUid, "sessionUid");
    requireText(namespace, "namespace");
    requireText(name, "name");
    Objects.requireNonNull(projectId, "projectId");
    // JWT times are whole seconds: truncate so the returned values equal the claims.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expires = now.plus(config.ttl());
    String jti = UUID.randomUUID().toString();
    String token =
        Jwts.builder()
            .header()
            .keyId(kid)
            .type("JWT")
            .and()
            .issuer(config.issuer())
            .audience()
            .add(TokenConfig.AUDIENCE)
            .and()
            .subject(sessionUid)
            .claim("project_id", projectId.toString())
            .claim("session", namespace + "/" + name)
            .claim("scope", TokenConfig.scopeFor(projectId))
            .issuedAt(Date.from(now))
            .notBefore(Date.from(now))
            .expiration(Date.from(expires))
            .id(jti)
            .signWith(key, Jwts.SIG.EdDSA)
            .compact();
    metrics.minted.inc();
    return new MintedToken(token, jti, now, expires);
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
