package dev.velocity.preview.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the operator observed of a session; written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreviewSessionStatus {

  @JsonPropertyDescription(
      "Where the session is: Pending, Snapshotting, Starting, Running, Failed, Expired or Terminating.")
  private SessionPhase phase;

  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "SnapshotReady, TokenIssued, Hydrated, Synced and Ready, each with a reason a person can act on.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The snapshot the workspace is hydrated from.")
  private SnapshotStatus snapshot;

  @JsonPropertyDescription("Latest project revision the operator has seen.")
  private Long projectRevision;

  @JsonPropertyDescription(
      "Latest project revision the session's sync agent reports as applied to the workspace.")
  private Long syncedRevision;

  @JsonPropertyDescription("Name of the session's pod.")
  private String podName;

  @JsonPropertyDescription(
      "In-cluster URL of the dev server (its Service), when a port is exposed.")
  private String url;

  @JsonPropertyDescription("When the operator first accepted the session (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the session first became Ready (RFC 3339).")
  private String readyAt;

  @JsonPropertyDescription(
      "When the session expires if nothing changes: the earlier of the TTL and the idle deadline (RFC 3339).")
  private String expiresAt;

  @JsonPropertyDescription(
      "Last time an edit to the project or a new synced revision was seen; the idle timeout counts from here (RFC 3339).")
  private String lastActivityAt;

  @JsonPropertyDescription("One line for a person: what the session is doing or what is wrong.")
  private String message;

  /** The condition of the given type, if present. */
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public SessionPhase getPhase() {
    return phase;
  }

  public void setPhase(SessionPhase phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public SnapshotStatus getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(SnapshotStatus snapshot) {
    this.snapshot = snapshot;
  }

  public Long getProjectRevision() {
    return projectRevision;
  }

  public void setProjectRevision(Long projectRevision) {
    this.projectRevision = projectRevision;
  }

  public Long getSyncedRevision() {
    return syncedRevision;
  }

  public void setSyncedRevision(Long syncedRevision) {
    this.syncedRevision = syncedRevision;
  }

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getReadyAt() {
    return readyAt;
  }

  public void setReadyAt(String readyAt) {
    this.readyAt = readyAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getLastActivityAt() {
    return lastActivityAt;
  }

  public void setLastActivityAt(String lastActivityAt) {
    this.lastActivityAt = lastActivityAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
