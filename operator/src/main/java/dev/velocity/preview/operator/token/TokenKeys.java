package dev.velocity.preview.operator.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The keys of session tokens: at most one Ed25519 signing key (with its {@code kid}) and every
 * public key the verifier accepts, by {@code kid}. Rotation: publish the new public key, then
 * switch the signing key; remove the old public key once its tokens have expired.
 */
public final class TokenKeys {

  /** Why a verify-only process needs {@code TOKEN_PUBLIC_KEYS_DIR}. */
  public static final String PUBLIC_KEYS_REQUIRED =
      "TOKEN_PUBLIC_KEYS_DIR must be set for --role=gateway: the gateway verifies session tokens"
          + " with the operator's public keys (<kid>.pem) and holds no signing key";

  private final String signingKeyId;
  private final PrivateKey signingKey;
  private final Map<String, PublicKey> publicKeys;

  private TokenKeys(String signingKeyId, PrivateKey signingKey, Map<String, PublicKey> publicKeys) {
    this.signingKeyId = signingKeyId;
    this.signingKey = signingKey;
    this.publicKeys = Collections.unmodifiableMap(new TreeMap<>(publicKeys));
  }

  /**
   * Keys for {@code config}: the signing key from {@code TOKEN_SIGNING_KEY_FILE} or, when none is
   * set, a freshly generated pair under {@code TOKEN_SIGNING_KEY_ID}; plus every {@code <kid>.pem}
   * in {@code TOKEN_PUBLIC_KEYS_DIR}. A configured signing key needs its public half in that
   * directory (as {@code <kid>.pem}), and the two must match.
   *
   * @throws IllegalArgumentException naming the variable whose file is missing or malformed
   */
  public static TokenKeys load(TokenConfig config) {
    Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
    if (config.publicKeysDir() != null) {
      publicKeys.putAll(readPublicKeys(config.publicKeysDir()));
    }
    if (config.signingKeyFile() == null) {
      KeyPair pair = generatePair();
      publicKeys.put(config.signingKeyId(), pair.getPublic());
      return new TokenKeys(config.signingKeyId(), pair.getPrivate(), publicKeys);
    }
    PrivateKey privateKey = readPrivateKey(config.signingKeyFile());
    PublicKey own = publicKeys.get(config.signingKeyId());
    if (own == null) {
      throw new IllegalArgumentException(
          "TOKEN_PUBLIC_KEYS_DIR must contain "
              + config.signingKeyId()
              + ".pem, the public half of TOKEN_SIGNING_KEY_FILE (kid from TOKEN_SIGNING_KEY_ID)");
    }
    if (!matches(privateKey, own)) {
      throw new IllegalArgumentException(
          "TOKEN_SIGNING_KEY_FILE does not match "
              + config.publicKeysDir().resolve(config.signingKeyId() + ".pem"));
    }
    return new TokenKeys(config.signingKeyId(), privateKey, publicKeys);
  }

  /** A generated key pair under {@code kid}, signing and verifying (tests, local stack). */
  public static TokenKeys generate(String kid) {
    KeyPair pair = generatePair();
    return new TokenKeys(kid, pair.getPrivate(), Map.of(kid, pair.getPublic()));
  }

  /**
   * Verification-only keys for {@code config}: every {@code <kid>.pem} in {@code
   * TOKEN_PUBLIC_KEYS_DIR}, and no private key ({@code TOKEN_SIGNING_KEY_FILE} is not read, nor a
   * pair generated). What the gateway ({@code --role=gateway}) runs with: it verifies the tokens
   * the operator mints and can mint none itself.
   *
   * @throws IllegalArgumentException naming {@code TOKEN_PUBLIC_KEYS_DIR} when it is unset, holds
   *     no key or a malformed one
   */
  public static TokenKeys verifyOnly(TokenConfig config) {
    if (config.publicKeysDir() == null) {
      throw new IllegalArgumentException(PUBLIC_KEYS_REQUIRED);
    }
    return verifyOnly(readPublicKeys(config.publicKeysDir()));
  }

  /** Verification-only keys (a gateway that never mints). */
  public static TokenKeys verifyOnly(Map<String, PublicKey> publicKeys) {
    if (publicKeys.isEmpty()) {
      throw new IllegalArgumentException("at least one public key is required");
    }
    return new TokenKeys(null, null, publicKeys);
  }

  /** These keys plus {@code publicKey} accepted under {@code kid} (rotation). */
  public TokenKeys withPublicKey(String kid, PublicKey publicKey) {
    Map<String, PublicKey> all = new LinkedHashMap<>(publicKeys);
    all.put(kid, publicKey);
    return new TokenKeys(signingKeyId, signingKey, all);
  }

  /** The {@code kid} that minted tokens carry, if these keys can sign. */
  public Optional<String> signingKeyId() {
    return Optional.ofNullable(signingKeyId);
  }

  PrivateKey signingKey() {
    if (signingKey == null) {
      throw new IllegalStateException("these token keys have no signing key");
    }
    return signingKey;
  }

  /** The public key for {@code kid}, if accepted. */
  public Optional<PublicKey> publicKey(String kid) {
    return Optional.ofNullable(kid == null ? null : publicKeys.get(kid));
  }

  /** Every accepted {@code kid} with its public key, sorted by {@code kid}. */
  public Map<String, PublicKey> publicKeys() {
    return publicKeys;
  }

  private static KeyPair generatePair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required by every Java 17 runtime", e);
    }
  }

  private static PrivateKey readPrivateKey(Path file) {
    try {
      return PemKeys.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "TOKEN_SIGNING_KEY_FILE " + file + " is not a readable PKCS#8 PEM Ed25519 key: " + e, e);
    }
  }

  private static Map<String, PublicKey> readPublicKeys(Path dir) {
    Map<String, PublicKey> keys = new TreeMap<>();
    // Kubernetes mounts Secret keys as symlinks into ..data; only regular <kid>.pem names count.
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String kid = name.substring(0, name.length() - ".pem".length());
        if (!TokenConfig.KEY_ID.matcher(kid).matches() || !Files.isRegularFile(file)) {
          continue;
        }
        try {
          keys.put(kid, PemKeys.publicKey(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException(
              "TOKEN_PUBLIC_KEYS_DIR file " + file + " is not an X.509 PEM Ed25519 key: " + e, e);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "TOKEN_PUBLIC_KEYS_DIR " + dir + " cannot be read: " + e, e);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "TOKEN_PUBLIC_KEYS_DIR " + dir + " holds no <kid>.pem public key");
    }
    return keys;
  }

  private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    try {
      byte[] probe = "preview-operator key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
