package dev.velocity.preview.operator.reconciler;

import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.SNAPSHOT_KEY_ANNOTATION;
import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.TOKEN_EXPIRES_AT_ANNOTATION;
import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.TOKEN_ID_ANNOTATION;
import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.TOKEN_ISSUED_AT_ANNOTATION;
import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.URL_EXPIRES_AT_ANNOTATION;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a session's Secret: the token (mounted as a file by the sync sidecar) and the presigned
 * snapshot URL (read by the hydrate init container), with the instants that drive rotation.
 */
public final class SessionSecretBuilder {

  private SessionSecretBuilder() {}

  /** The session Secret holding {@code credentials} for {@code snapshot}. */
  public static Secret build(
      PreviewSession session, SessionSnapshot snapshot, IssuedCredentials credentials) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(TOKEN_ISSUED_AT_ANNOTATION, credentials.issuedAt().toString());
    annotations.put(TOKEN_EXPIRES_AT_ANNOTATION, credentials.tokenExpiresAt().toString());
    annotations.put(URL_EXPIRES_AT_ANNOTATION, credentials.urlExpiresAt().toString());
    annotations.put(SNAPSHOT_KEY_ANNOTATION, snapshot.key());
    if (credentials.tokenId() != null) {
      annotations.put(TOKEN_ID_ANNOTATION, credentials.tokenId());
    }
    return new SecretBuilder()
        .withMetadata(
            OwnedObjects.metadata(
                session, PreviewSessionResources.secretName(session), annotations))
        .withType("Opaque")
        .addToData(PreviewSessionResources.SECRET_TOKEN_KEY, base64(credentials.token()))
        .addToData(
            PreviewSessionResources.SECRET_SNAPSHOT_URL_KEY, base64(credentials.snapshotUrl()))
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
