package dev.velocity.preview.operator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.operator.token.TokenRejectedException.Reason;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SignatureException;
import java.io.IOException;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * Verifies session tokens for the realtime gateway: only EdDSA with a known {@code kid}, {@code
 * aud}, {@code iss}, {@code exp}/{@code nbf} with 30 s skew, the required claims, and that the
 * token's project is the requested one. Thread-safe.
 */
public final class TokenVerifier {
  private static final String EDDSA = "EdDSA";

  private static final int MAX_TOKEN_CHARS = 8192;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JwtParser parser;
  private final TokenKeys keys;
  private final TokenMetrics metrics;

  /** A verifier on the system clock, counting into the default registry. */
  public TokenVerifier(TokenConfig config, TokenKeys keys) {
    this(config, keys, Clock.systemUTC(), TokenMetrics.defaults());
  }

  /** A verifier on {@code clock}, counting into {@code metrics}. */
  public TokenVerifier(TokenConfig config, TokenKeys keys, Clock clock, TokenMetrics metrics) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.keys = keys;
    this.parser =
        Jwts.parser()
            .sig()
            .clear()
            .add(Jwts.SIG.EdDSA)
            .and()
            .zip()
            .clear()
            .and()
            .keyLocator(new KidLocator(keys))
            .requireAudience(TokenConfig.AUDIENCE)
            .requireIssuer(config.issuer())
            .clockSkewSeconds(TokenConfig.CLOCK_SKEW.getSeconds())
            .clock(() -> Date.from(clock.instant()))
            .build();
  }

  /**
   * The claims of {@code jwt} if it is a valid token for {@code requestedProject}.
   *
   * @throws TokenRejectedException with status 403 when the token is valid but for another project,
   *     401 for every other problem
   */
  public SessionClaims verify(String jwt, UUID requestedProject) throws TokenRejectedException {
    try {
      SessionClaims claims = claimsOf(jwt);
      if (!claims.projectId().equals(requestedProject)) {
        throw new TokenRejectedException(
            Reason.WRONG_PROJECT, "token is for another project than " + requestedProject);
      }
      return claims;
    } catch (TokenRejectedException e) {
      metrics.rejected.labelValues(e.reason().name()).inc();
      throw e;
    }
  }

  private SessionClaims claimsOf(String jwt) throws TokenRejectedException {
    if (jwt == null || jwt.isBlank()) {
      throw new TokenRejectedException(Reason.MISSING_TOKEN, "no bearer token");
    }
    if (jwt.length() > MAX_TOKEN_CHARS) {
      throw new TokenRejectedException(Reason.MALFORMED, "token is too long");
    }
    checkHeader(jwt.trim());
    Claims claims;
    try {
      claims = parser.parseSignedClaims(jwt.trim()).getPayload();
    } catch (ExpiredJwtException e) {
      throw new TokenRejectedException(Reason.EXPIRED, "token expired", e);
    } catch (PrematureJwtException e) {
      throw new TokenRejectedException(Reason.NOT_YET_VALID, "token not valid yet", e);
    } catch (IncorrectClaimException | MissingClaimException e) {
      String claim = e.getClaimName();
      if (Claims.AUDIENCE.equals(claim)) {
        throw new TokenRejectedException(Reason.WRONG_AUDIENCE, "token audience is wrong", e);
      }
      if (Claims.ISSUER.equals(claim)) {
        throw new TokenRejectedException(Reason.WRONG_ISSUER, "token issuer is wrong", e);
      }
      throw new TokenRejectedException(
          Reason.INVALID_CLAIMS, "token claim " + claim + " is wrong", e);
    } catch (UnknownKeyException e) {
      throw new TokenRejectedException(Reason.UNKNOWN_KEY, e.getMessage(), e);
    } catch (AlgorithmException e) {
      throw new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM, e.getMessage(), e);
    } catch (SignatureException e) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, "token signature is invalid", e);
    } catch (UnsupportedJwtException e) {
      throw new TokenRejectedException(
          Reason.UNSUPPORTED_ALGORITHM, "token is not an EdDSA-signed JWT", e);
    } catch (MalformedJwtException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "token is malformed", e);
    } catch (JwtException | IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "token is invalid", e);
    }
    return sessionClaims(claims);
  }

  /**
   * Refuses a wrong {@code alg} or unknown {@code kid} from the header alone, before the JWT
   * library chooses any algorithm or key: the allow-list does not depend on library internals.
   */
  private void checkHeader(String jwt) throws TokenRejectedException {
    int dot = jwt.indexOf('.');
    if (dot <= 0) {
      throw new TokenRejectedException(Reason.MALFORMED, "token is malformed");
    }
    JsonNode header;
    try {
      header = JSON.readTree(Base64.getUrlDecoder().decode(jwt.substring(0, dot)));
    } catch (IOException | IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "token header is malformed", e);
    }
    if (header == null || !header.isObject()) {
      throw new TokenRejectedException(Reason.MALFORMED, "token header is malformed");
    }
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual() || !EDDSA.equals(alg.textValue())) {
      throw new TokenRejectedException(
          Reason.UNSUPPORTED_ALGORITHM,
          "token algorithm " + (alg == null ? "(none)" : alg.toString()) + " not allowed");
    }
    JsonNode kid = header.get("kid");
    if (kid == null || !kid.isTextual() || keys.publicKey(kid.textValue()).isEmpty()) {
      throw new TokenRejectedException(Reason.UNKNOWN_KEY, "token key id is not known");
    }
  }

  private static SessionClaims sessionClaims(Claims claims) throws TokenRejectedException {
    String subject = claims.getSubject();
    String session = claims.get("session") instanceof String s ? s : null;
    String project = claims.get("project_id") instanceof String p ? p : null;
    Date issuedAt = claims.getIssuedAt();
    Date expiresAt = claims.getExpiration();
    String jti = claims.getId();
    if (isBlank(subject)
        || isBlank(session)
        || isBlank(project)
        || isBlank(jti)
        || issuedAt == null
        || expiresAt == null) {
      throw new TokenRejectedException(
          Reason.INVALID_CLAIMS, "token lacks one of sub, session, project_id, iat, exp, jti");
    }
    UUID projectId;
    try {
      projectId = UUID.fromString(project);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.INVALID_CLAIMS, "token project_id is not a uuid", e);
    }
    if (!projectId.toString().equals(project)) {
      throw new TokenRejectedException(Reason.INVALID_CLAIMS, "token project_id is not canonical");
    }
    if (!TokenConfig.scopeFor(projectId).equals(claims.get("scope"))) {
      throw new TokenRejectedException(Reason.WRONG_SCOPE, "token scope does not allow this");
    }
    return new SessionClaims(
        subject, session, projectId, toInstant(issuedAt), toInstant(expiresAt), jti);
  }

  private static Instant toInstant(Date date) {
    return date.toInstant();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Finds the public key by {@code kid}, refusing any algorithm but EdDSA before any crypto. */
  private static final class KidLocator extends LocatorAdapter<Key> {
    private final TokenKeys keys;

    KidLocator(TokenKeys keys) {
      this.keys = keys;
    }

    @Override
    protected Key locate(JwsHeader header) {
      if (!EDDSA.equals(header.getAlgorithm())) {
        throw new AlgorithmException("token algorithm " + header.getAlgorithm() + " not allowed");
      }
      String kid = header.getKeyId();
      return keys.publicKey(kid)
          .orElseThrow(() -> new UnknownKeyException("token key id '" + kid + "' is not known"));
    }

    @Override
    protected Key doLocate(Header header) {
      throw new AlgorithmException("only signed tokens are accepted");
    }
  }

  private static final class UnknownKeyException extends JwtException {
    private static final long serialVersionUID = 1L;

    UnknownKeyException(String message) {
      super(message);
    }
  }

  private static final class AlgorithmException extends JwtException {
    private static final long serialVersionUID = 1L;

    AlgorithmException(String message) {
      super(message);
    }
  }
}
