package dev.velocity.preview.operator.token;

/**
 * A session token was refused. {@link #status()} is the HTTP status the gateway answers: 403 when
 * the token is valid but for another project, 401 for everything else.
 */
public final class TokenRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason {
    /** No token, or an empty one. */
    MISSING_TOKEN(401),
    /** Not a compact JWS. */
    MALFORMED(401),
    /** An algorithm other than EdDSA (including {@code none} and HMAC). */
    UNSUPPORTED_ALGORITHM(401),
    /** A {@code kid} that is not among the accepted public keys, or no {@code kid}. */
    UNKNOWN_KEY(401),
    /** The signature does not verify. */
    BAD_SIGNATURE(401),
    /** {@code exp} has passed (beyond the allowed skew). */
    EXPIRED(401),
    /** {@code nbf} is in the future (beyond the allowed skew). */
    NOT_YET_VALID(401),
    /** {@code aud} is not {@code preview-realtime}. */
    WRONG_AUDIENCE(401),
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER(401),
    /** A required claim is missing or malformed. */
    INVALID_CLAIMS(401),
    /** {@code scope} is not {@code realtime:project:{project_id}:read}. */
    WRONG_SCOPE(401),
    /** A valid token for a different project than the one requested. */
    WRONG_PROJECT(403);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    /** The HTTP status for this reason. */
    public int status() {
      return status;
    }
  }

  private final Reason reason;

  /** A rejection for {@code reason}, with a message safe to return to the client. */
  public TokenRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A rejection caused by a parser failure. */
  public TokenRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the token was refused. */
  public Reason reason() {
    return reason;
  }

  /** 401 or 403. */
  public int status() {
    return reason.status();
  }
}
