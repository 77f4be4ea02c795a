package dev.velocity.preview.e2e.stack;

import dev.velocity.preview.operator.token.PemKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/**
 * The session-token keys of the local stack as files, the way a cluster mounts them from a Secret:
 * an Ed25519 signing key (PKCS#8 PEM, mode 0600) and its public half as {@code <kid>.pem}. The
 * operator (which signs) and the gateway (which verifies) run as separate parts and must share
 * them.
 *
 * @param signingKeyFile {@code TOKEN_SIGNING_KEY_FILE}
 * @param keyId {@code TOKEN_SIGNING_KEY_ID}
 * @param publicKeysDir {@code TOKEN_PUBLIC_KEYS_DIR}
 */
public record LocalKeys(Path signingKeyFile, String keyId, Path publicKeysDir) {
  /** Generates a key pair into {@code dir} (or reuses one already there). */
  public static LocalKeys create(Path dir) {
    String kid = "local-1";
    Path privateKey = dir.resolve("signing.pem");
    Path publicDir = dir.resolve("public");
    try {
      Files.createDirectories(publicDir);
      if (!Files.exists(privateKey)) {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(privateKey, PemKeys.toPem(pair.getPrivate()));
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(publicDir.resolve(kid + ".pem"), PemKeys.toPem(pair.getPublic()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write token keys under " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required by Java 17", e);
    }
    return new LocalKeys(privateKey, kid, publicDir);
  }
}
