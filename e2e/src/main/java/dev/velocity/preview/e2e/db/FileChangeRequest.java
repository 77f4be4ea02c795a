package dev.velocity.preview.e2e.db;

import java.util.Objects;

/**
 * One item of a bulk write: an upsert of text content, or a delete.
 *
 * @param path file path (DESIGN.md path rules)
 * @param fileType file type, e.g. {@code typescript}; ignored for a delete
 * @param content the new content; {@code null} for a delete
 */
public record FileChangeRequest(String path, String fileType, String content) {
  public FileChangeRequest {
    Objects.requireNonNull(path, "path");
  }

  /** An upsert. */
  public static FileChangeRequest upsert(String path, String fileType, String content) {
    return new FileChangeRequest(path, fileType, Objects.requireNonNull(content, "content"));
  }

  /** A delete. */
  public static FileChangeRequest delete(String path) {
    return new FileChangeRequest(path, null, null);
  }

  /** True for a delete. */
  public boolean isDelete() {
    return content == null;
  }
}
