package dev.velocity.preview.operator.snapshot;

import java.util.Locale;
import java.util.Set;

/** File types whose bytes are already compressed: deflating them again costs time for nothing. */
final class CompressedTypes {
  private static final Set<String> EXTENSIONS =
      Set.of(
          "png", "jpg", "jpeg", "gif", "webp", "avif", "heic", "heif", "jxl", "ico", "zip", "gz",
          "tgz", "bz2", "xz", "zst", "lz4", "lzma", "7z", "rar", "br", "jar", "apk", "woff",
          "woff2", "mp3", "mp4", "m4a", "m4v", "aac", "ogg", "oga", "opus", "flac", "webm", "mov",
          "avi", "mkv", "pdf");

  private CompressedTypes() {}

  /** Whether {@code path}'s extension names an already-compressed format. */
  static boolean isCompressed(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash + 1 || dot == path.length() - 1) {
      return false;
    }
    return EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
