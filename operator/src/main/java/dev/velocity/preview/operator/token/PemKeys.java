package dev.velocity.preview.operator.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes Ed25519 keys as PEM: PKCS#8 ({@code PRIVATE KEY}) and X.509 SubjectPublicKeyInfo
 * ({@code PUBLIC KEY}), the formats {@code openssl genpkey -algorithm ed25519} and {@code openssl
 * pkey -pubout} produce.
 */
public final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeys() {}

  /** Parses a PKCS#8 PEM Ed25519 private key. */
  public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    byte[] der = decode(pem, "PRIVATE KEY");
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /** Parses an X.509 SubjectPublicKeyInfo PEM Ed25519 public key. */
  public static PublicKey publicKey(String pem) throws GeneralSecurityException {
    byte[] der = decode(pem, "PUBLIC KEY");
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  /** PEM text of a private ({@code PRIVATE KEY}) or public ({@code PUBLIC KEY}) key. */
  public static String toPem(Key key) {
    String type = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] decode(String pem, String type) throws GeneralSecurityException {
    Matcher m = BLOCK.matcher(pem);
    if (!m.find()) {
      throw new GeneralSecurityException("no PEM block found (expected -----BEGIN " + type + ")");
    }
    if (!m.group(1).equals(type)) {
      throw new GeneralSecurityException(
          "expected a PEM '" + type + "' block, found '" + m.group(1) + "'");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("PEM body is not valid base64", e);
    }
  }
}
