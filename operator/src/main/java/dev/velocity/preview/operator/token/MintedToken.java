package dev.velocity.preview.operator.token;

import java.time.Instant;

/**
 * A freshly minted session token.
 *
 * @param token the compact JWS
 * @param jti its unique id
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 */
public record MintedToken(String token, String jti, Instant issuedAt, Instant expiresAt) {
  /** Never prints the token itself. */
  @Override
  public String toString() {
    return "MintedToken[jti=" + jti + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
  }
}
