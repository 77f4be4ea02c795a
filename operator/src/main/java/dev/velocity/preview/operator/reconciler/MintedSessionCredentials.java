package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.token.MintedToken;
import dev.velocity.preview.operator.token.TokenMinter;
import java.time.Duration;
import java.util.UUID;

/**
 * Real session credentials: a token from the {@link TokenMinter} (scoped to the session's project)
 * and a URL presigned by the {@link ObjectStore} for the session's snapshot only.
 */
public final class MintedSessionCredentials implements SessionCredentials {

  private final TokenMinter minter;
  private final ObjectStore store;
  private final Duration urlTtl;

  public MintedSessionCredentials(TokenMinter minter, ObjectStore store, Duration urlTtl) {
    this.minter = minter;
    this.store = store;
    this.urlTtl = urlTtl;
  }

  @Override
  public IssuedCredentials issue(PreviewSession session, SessionSnapshot snapshot) {
    MintedToken token =
        minter.mint(
            session.getMetadata().getUid(),
            session.getMetadata().getNamespace(),
            session.getMetadata().getName(),
            UUID.fromString(session.getSpec().getProjectId()));
    String url = store.presignGet(snapshot.key(), urlTtl);
    // the URL is signed at or after the token's issue instant: counting its life from there is safe
    return new IssuedCredentials(
        token.token(),
        token.jti(),
        token.issuedAt(),
        token.expiresAt(),
        url,
        token.issuedAt().plus(urlTtl));
  }
}
