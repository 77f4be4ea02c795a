package dev.velocity.preview.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The file path rules of DESIGN.md §3, shared by the agent (and mirrored in SQL): relative, {@code
 * /}-separated, no empty, {@code .} or {@code ..} segments, no leading {@code /}, no backslash, no
 * NUL or control characters (C0, DEL, C1), at most 1024 bytes in UTF-8 and each segment at most 255
 * bytes.
 */
public final class PathRules {

  /** Longest accepted path, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 1024;

  /** Longest accepted path segment, in UTF-8 bytes. */
  public static final int MAX_SEGMENT_BYTES = 255;

  private PathRules() {}

  /**
   * Returns why {@code path} breaks the rules, or empty when it is a legal project path.
   *
   * @param path the candidate path, may be {@code null}
   * @return a human-readable reason, or empty
   */
  public static Optional<String> violation(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("path is empty");
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      return Optional.of("path is longer than " + MAX_PATH_BYTES + " bytes");
    }
    if (path.startsWith("/")) {
      return Optional.of("path must be relative (it starts with '/')");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        return Optional.of("path contains a backslash");
      }
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
        return Optional.of(
            String.format("path contains the control character U+%04X at index %d", (int) c, i));
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < path.length()
              && Character.isLowSurrogate(path.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(path.charAt(i - 1)))) {
        return Optional.of("path contains an unpaired surrogate at index " + i);
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return Optional.of("path has an empty segment ('//' or a trailing '/')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("path has a '" + segment + "' segment");
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return Optional.of("path has a segment longer than " + MAX_SEGMENT_BYTES + " bytes");
      }
    }
    return Optional.empty();
  }

  /** True when {@code path} is a legal project path. */
  public static boolean isValid(String path) {
    return violation(path).isEmpty();
  }

  /**
   * Checks {@code path}.
   *
   * @throws InvalidPathException naming the rule that was broken
   */
  public static String require(String path) {
    Optional<String> why = violation(path);
    if (why.isPresent()) {
      throw new InvalidPathException(path, why.get());
    }
    return path;
  }
}
