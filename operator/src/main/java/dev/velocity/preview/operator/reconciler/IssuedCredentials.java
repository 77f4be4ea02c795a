package dev.velocity.preview.operator.reconciler;

import java.time.Instant;
import java.util.Objects;

/**
 * What a session pod may hold: a realtime token for its one project and a presigned URL of its
 * snapshot, both short-lived.
 *
 * @param token the session JWT
 * @param tokenId its {@code jti}
 * @param issuedAt when both were issued
 * @param tokenExpiresAt the token's {@code exp}
 * @param snapshotUrl presigned GET URL of the snapshot zip
 * @param urlExpiresAt when the URL stops working
 */
public record IssuedCredentials(
    String token,
    String tokenId,
    Instant issuedAt,
    Instant tokenExpiresAt,
    String snapshotUrl,
    Instant urlExpiresAt) {

  /** Checks the fields. */
  public IssuedCredentials {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(tokenExpiresAt, "tokenExpiresAt");
    Objects.requireNonNull(snapshotUrl, "snapshotUrl");
    Objects.requireNonNull(urlExpiresAt, "urlExpiresAt");
  }

  /** Never prints the token or the URL. */
  @Override
  public String toString() {
    return "IssuedCredentials[tokenId="
        + tokenId
        + ", issuedAt="
        + issuedAt
        + ", tokenExpiresAt="
        + tokenExpiresAt
        + ", urlExpiresAt="
        + urlExpiresAt
        + "]";
  }
}
