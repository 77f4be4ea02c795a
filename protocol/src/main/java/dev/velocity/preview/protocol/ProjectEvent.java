package dev.velocity.preview.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The {@code data} of one realtime event (DESIGN.md §6). The SSE {@code id} is {@link #revision()}
 * and the SSE {@code event} is {@link #type()}:
 *
 * <ul>
 *   <li>{@code file:update}: filePath, fileType, content, contentHash, version;
 *   <li>{@code file:delete}: filePath, version;
 *   <li>{@code bulk:apply}: files.
 * </ul>
 *
 * <p>Fields a type does not use are {@code null} and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectEvent(
    @JsonIgnore String type,
    String projectId,
    long revision,
    String filePath,
    String fileType,
    String content,
    String contentHash,
    Integer version,
    List<FileChange> files,
    String timestamp) {

  /** A {@code file:update} event. */
  public static ProjectEvent update(
      String projectId,
      long revision,
      String filePath,
      String fileType,
      String content,
      String contentHash,
      int version,
      String timestamp) {
    return new ProjectEvent(
        EventType.FILE_UPDATE,
        projectId,
        revision,
        filePath,
        fileType,
        content,
        contentHash,
        version,
        null,
        timestamp);
  }

  /** A {@code file:delete} event. */
  public static ProjectEvent delete(
      String projectId, long revision, String filePath, int version, String timestamp) {
    return new ProjectEvent(
        EventType.FILE_DELETE,
        projectId,
        revision,
        filePath,
        null,
        null,
        null,
        version,
        null,
        timestamp);
  }

  /** A {@code bulk:apply} event. */
  public static ProjectEvent bulk(
      String projectId, long revision, List<FileChange> files, String timestamp) {
    return new ProjectEvent(
        EventType.BULK_APPLY,
        projectId,
        revision,
        null,
        null,
        null,
        null,
        null,
        List.copyOf(files),
        timestamp);
  }

  /** This event with {@code type} set (JSON carries the type in the SSE {@code event} line). */
  public ProjectEvent withType(String newType) {
    return new ProjectEvent(
        newType,
        projectId,
        revision,
        filePath,
        fileType,
        content,
        contentHash,
        version,
        files,
        timestamp);
  }
}
