package dev.velocity.preview.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One file of a {@code bulk:apply} event: {@code op} is {@code upsert} or {@code delete}; a delete
 * carries no content.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileChange(
    String op, String filePath, String fileType, String content, String contentHash, int version) {

  /** The {@code op} of a write. */
  public static final String UPSERT = "upsert";

  /** The {@code op} of a delete. */
  public static final String DELETE = "delete";

  /** True when this change deletes the file. */
  @JsonIgnore
  public boolean isDelete() {
    return DELETE.equals(op);
  }
}
