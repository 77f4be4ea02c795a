package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.realtime.SessionRegistry;
import dev.velocity.preview.operator.token.SessionClaims;
import dev.velocity.preview.operator.token.TokenRejectedException;
import dev.velocity.preview.operator.token.TokenVerifier;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.util.UUID;

/** Checks a request's session token: signature and claims, the project, and revocation. */
final class SessionAuth {
  private static final String BEARER = "bearer ";

  private final VerifiedTokens verifier;
  private final SessionRegistry sessions;

  SessionAuth(TokenVerifier verifier, SessionRegistry sessions) {
    this.verifier = new VerifiedTokens(verifier::verify, Clock.systemUTC());
    this.sessions = sessions;
  }

  /**
   * The claims of the request's token for {@code projectId}.
   *
   * @throws ApiError 401 for a missing, invalid, expired or revoked token, 403 for a token of
   *     another project
   */
  SessionClaims authenticate(HttpHeaders headers, UUID projectId) throws ApiError {
    String token = bearer(headers);
    if (token == null) {
      throw ApiError.unauthorized("an Authorization: Bearer <session token> header is required");
    }
    SessionClaims claims;
    try {
      claims = verifier.verify(token, projectId);
    } catch (TokenRejectedException e) {
      throw e.status() == 403
          ? ApiError.forbidden(e.getMessage())
          : ApiError.unauthorized(e.getMessage());
    }
    if (!sessions.isLive(claims.sessionUid())) {
      throw ApiError.unauthorized("session " + claims.session() + " is no longer active");
    }
    return claims;
  }

  /** True when {@code token} is a session token valid for {@code projectId} or another project. */
  boolean isSessionToken(String token, UUID projectId) {
    try {
      verifier.verify(token, projectId);
      return true;
    } catch (TokenRejectedException e) {
      return e.status() == 403;
    }
  }

  /** The bearer credential of {@code headers}, or {@code null}. */
  static String bearer(HttpHeaders headers) {
    String value = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (value == null || value.length() <= BEARER.length()) {
      return null;
    }
    if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = value.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }
}
