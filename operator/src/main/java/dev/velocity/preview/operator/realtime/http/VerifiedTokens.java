package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.token.SessionClaims;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenRejectedException;
import dev.velocity.preview.operator.token.TokenRejectedException.Reason;
import dev.velocity.preview.operator.token.TokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens whose signature and claims verified, so an agent that reconnects (or opens its
 * ack and stream connections) with the same token costs one Ed25519 verification, not one per
 * request. A hit still re-checks what can change: expiry (with the verifier's clock skew) and the
 * requested project. Only exact token strings that verified are remembered.
 */
final class VerifiedTokens {
  private static final int MAX_ENTRIES = 20_000;

  /** The full verification ({@link TokenVerifier#verify}). */
  @FunctionalInterface
  interface Verification {
    SessionClaims verify(String token, UUID requestedProject) throws TokenRejectedException;
  }

  private final Verification verifier;
  private final Clock clock;
  private final Map<String, SessionClaims> verified = new ConcurrentHashMap<>();

  VerifiedTokens(Verification verifier, Clock clock) {
    this.verifier = verifier;
    this.clock = clock;
  }

  /** Same contract as {@link TokenVerifier#verify}. */
  SessionClaims verify(String token, UUID requestedProject) throws TokenRejectedException {
    SessionClaims claims = verified.get(token);
    Instant now = clock.instant();
    if (claims == null) {
      claims = verifier.verify(token, requestedProject);
      if (verified.size() >= MAX_ENTRIES) {
        prune(now);
      }
      verified.put(token, claims);
      return claims;
    }
    if (expired(claims, now)) {
      verified.remove(token);
      throw new TokenRejectedException(Reason.EXPIRED, "token expired");
    }
    if (!claims.projectId().equals(requestedProject)) {
      throw new TokenRejectedException(
          Reason.WRONG_PROJECT, "token is for another project than " + requestedProject);
    }
    return claims;
  }

  private void prune(Instant now) {
    verified.values().removeIf(c -> expired(c, now));
    if (verified.size() >= MAX_ENTRIES) {
      verified.clear();
    }
  }

  private static boolean expired(SessionClaims claims, Instant now) {
    return now.isAfter(claims.expiresAt().plus(TokenConfig.CLOCK_SKEW));
  }
}
