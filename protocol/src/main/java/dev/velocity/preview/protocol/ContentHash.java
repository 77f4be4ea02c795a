package dev.velocity.preview.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The content hash of DESIGN.md §3: lowercase hex SHA-256 of the UTF-8 bytes. */
public final class ContentHash {
  private static final HexFormat HEX = HexFormat.of();

  private ContentHash() {}

  /** A fresh SHA-256 digest, for hashing while streaming. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** Hex SHA-256 of the UTF-8 encoding of {@code text} (what SQL stores as content_hash). */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lowercase hex of {@code digest}. */
  public static String hex(byte[] digest) {
    return HEX.formatHex(digest);
  }
}
