package dev.velocity.preview.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The snapshot a session's workspace was hydrated from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotStatus {

  @JsonPropertyDescription("Project revision the snapshot holds exactly.")
  private Long revision;

  @JsonPropertyDescription("Object key of the snapshot zip in the bucket.")
  private String key;

  @JsonPropertyDescription("Hex SHA-256 of the snapshot zip; hydration verifies it.")
  private String sha256;

  @JsonPropertyDescription("Number of files in the snapshot.")
  private Long files;

  @JsonPropertyDescription("Size of the snapshot zip in bytes.")
  private Long bytes;

  public SnapshotStatus() {}

  public SnapshotStatus(Long revision, String key, String sha256, Long files, Long bytes) {
    this.revision = revision;
    this.key = key;
    this.sha256 = sha256;
    this.files = files;
    this.bytes = bytes;
  }

  public Long getRevision() {
    return revision;
  }

  public void setRevision(Long revision) {
    this.revision = revision;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public Long getFiles() {
    return files;
  }

  public void setFiles(Long files) {
    this.files = files;
  }

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }
}
