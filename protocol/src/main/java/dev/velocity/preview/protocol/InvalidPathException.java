package dev.velocity.preview.protocol;

/** A project file path that breaks {@link PathRules}. */
public final class InvalidPathException extends IllegalArgumentException {
  private final String path;

  /** Creates the exception for {@code path} with the broken rule as {@code reason}. */
  public InvalidPathException(String path, String reason) {
    super("invalid file path " + quote(path) + ": " + reason);
    this.path = path;
  }

  /** The rejected path (may be {@code null}). */
  public String path() {
    return path;
  }

  private static String quote(String path) {
    if (path == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("\"");
    int limit = Math.min(path.length(), 120);
    for (int i = 0; i < limit; i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (path.length() > limit) {
      sb.append("…");
    }
    return sb.append('"').toString();
  }
}
