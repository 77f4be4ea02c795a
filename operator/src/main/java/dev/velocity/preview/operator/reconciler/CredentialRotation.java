package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * When a session Secret's credentials are replaced: once only a third of the token's life is left,
 * or a third of the URL's, or when the Secret is for another snapshot. Otherwise the Secret is left
 * alone, so reconciling does not rewrite it.
 */
public final class CredentialRotation {

  private CredentialRotation() {}

  /**
   * When {@code secret} should be replaced; empty when its annotations are missing or unreadable.
   */
  public static Optional<Instant> rotateAt(Secret secret) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    if (annotations == null) {
      return Optional.empty();
    }
    try {
      Instant issued = instant(annotations, PreviewSessionResources.TOKEN_ISSUED_AT_ANNOTATION);
      Instant tokenExpires =
          instant(annotations, PreviewSessionResources.TOKEN_EXPIRES_AT_ANNOTATION);
      Instant urlExpires = instant(annotations, PreviewSessionResources.URL_EXPIRES_AT_ANNOTATION);
      if (issued == null || tokenExpires == null || urlExpires == null) {
        return Optional.empty();
      }
      Instant token = twoThirds(issued, tokenExpires);
      Instant url = twoThirds(issued, urlExpires);
      return Optional.of(token.isBefore(url) ? token : url);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code secret} must be replaced at {@code now} to serve {@code snapshot}. */
  public static boolean isDue(Secret secret, SessionSnapshot snapshot, Instant now) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    String key =
        annotations == null
            ? null
            : annotations.get(PreviewSessionResources.SNAPSHOT_KEY_ANNOTATION);
    if (!snapshot.key().equals(key)) {
      return true;
    }
    return rotateAt(secret).map(at -> !now.isBefore(at)).orElse(true);
  }

  private static Instant twoThirds(Instant from, Instant to) {
    Duration life = Duration.between(from, to);
    return from.plus(life.multipliedBy(2).dividedBy(3));
  }

  private static Instant instant(Map<String, String> annotations, String key) {
    String value = annotations.get(key);
    return value == null ? null : Instant.parse(value);
  }
}
