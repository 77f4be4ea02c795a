package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialRotationTest {

  private static final Instant ISSUED = Instant.parse("2026-11-25T10:00:00Z");

  private static Secret secret(long tokenSeconds, long urlSeconds) {
    return SessionSecretBuilder.build(
        TestSessions.session("my-app"),
        TestSessions.snapshot(),
        new IssuedCredentials(
            "header.payload.signature",
            "jti-1",
            ISSUED,
            ISSUED.plusSeconds(tokenSeconds),
            "https://s3.example/bucket/key?X-Amz-Signature=abc",
            ISSUED.plusSeconds(urlSeconds)));
  }

  @Test
  void secretCarriesTokenUrlAndRotationAnnotations() {
    Secret secret = secret(600, 300);
    assertThat(secret.getMetadata().getName()).isEqualTo("my-app-session");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(decode(secret, "token")).isEqualTo("header.payload.signature");
    assertThat(decode(secret, "snapshot-url")).startsWith("https://s3.example/");
    assertThat(secret.getData()).containsOnlyKeys("token", "snapshot-url");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(PreviewSessionResources.TOKEN_ISSUED_AT_ANNOTATION, "2026-11-25T10:00:00Z")
        .containsEntry(
            PreviewSessionResources.SNAPSHOT_KEY_ANNOTATION, TestSessions.snapshot().key());
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getController()).isTrue());
  }

  @Test
  void rotatesWhenAThirdOfTheShorterLifeIsLeft() {
    // token 600 s → 400 s; URL 300 s → 200 s: the URL decides
    assertThat(CredentialRotation.rotateAt(secret(600, 300))).contains(ISSUED.plusSeconds(200));
    // URL longer than the token: the token decides
    assertThat(CredentialRotation.rotateAt(secret(600, 3600))).contains(ISSUED.plusSeconds(400));
  }

  @Test
  void notDueBeforeTheRotationInstantDueAtAndAfterIt() {
    Secret secret = secret(600, 300);
    SessionSnapshot snapshot = TestSessions.snapshot();
    assertThat(CredentialRotation.isDue(secret, snapshot, ISSUED)).isFalse();
    assertThat(CredentialRotation.isDue(secret, snapshot, ISSUED.plusSeconds(199))).isFalse();
    assertThat(CredentialRotation.isDue(secret, snapshot, ISSUED.plusSeconds(200))).isTrue();
    assertThat(CredentialRotation.isDue(secret, snapshot, ISSUED.plusSeconds(10_000))).isTrue();
  }

  @Test
  void dueForAnotherSnapshotOrUnreadableAnnotations() {
    Secret secret = secret(600, 300);
    SessionSnapshot other =
        new SessionSnapshot(
            43, "snapshots/p/43.zip", "cd".repeat(32), 1, 1, true, java.time.Duration.ZERO);
    assertThat(CredentialRotation.isDue(secret, other, ISSUED)).isTrue();
    secret
        .getMetadata()
        .getAnnotations()
        .put(PreviewSessionResources.TOKEN_EXPIRES_AT_ANNOTATION, "soon");
    assertThat(CredentialRotation.rotateAt(secret)).isEmpty();
    assertThat(CredentialRotation.isDue(secret, TestSessions.snapshot(), ISSUED)).isTrue();
  }

  @Test
  void credentialsNeverPrintThemselves() {
    var credentials =
        new IssuedCredentials("secret-token", "jti", ISSUED, ISSUED, "https://signed-url", ISSUED);
    assertThat(credentials.toString()).doesNotContain("secret-token").doesNotContain("signed-url");
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
