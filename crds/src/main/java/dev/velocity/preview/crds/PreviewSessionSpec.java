package dev.velocity.preview.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/** What a person or the builder's orchestrator asks for: which project, served by what. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreviewSessionSpec {

  /** Pattern of a UUID in its canonical textual form. */
  public static final String UUID_PATTERN =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  /** Port the dev server listens on when the spec does not say. */
  public static final int DEFAULT_PORT = 3000;

  // bounds so an oversized spec is refused by the API server with a clear message, long before
  // the request or etcd object limits
  /** Most entries of {@code command}. */
  public static final int MAX_COMMAND_ITEMS = 64;

  /** Most entries of {@code args}. */
  public static final int MAX_ARGS_ITEMS = 256;

  /** Most entries of {@code env}. */
  public static final int MAX_ENV_ITEMS = 256;

  /** Workspace size limit when the spec does not say. */
  public static final String DEFAULT_WORKSPACE_SIZE_LIMIT = "1Gi";

  @Required
  @Pattern(UUID_PATTERN)
  @JsonPropertyDescription(
      "ID (a UUID) of the project in PostgreSQL whose files this session previews.")
  private String projectId;

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Container image of the dev server that serves the workspace.")
  private String image;

  @Size(max = MAX_COMMAND_ITEMS)
  @JsonPropertyDescription(
      "Entrypoint of the dev-server container; replaces the image's ENTRYPOINT.")
  private List<String> command = new ArrayList<>();

  @Size(max = MAX_ARGS_ITEMS)
  @JsonPropertyDescription("Arguments of the dev-server container; replace the image's CMD.")
  private List<String> args = new ArrayList<>();

  @Default("3000")
  @Min(0)
  @Max(65535)
  @JsonPropertyDescription(
      "TCP port the dev server listens on, probed for readiness and exposed by a Service; 0 = no"
          + " port, no Service.")
  private Integer port = DEFAULT_PORT;

  @Size(max = MAX_ENV_ITEMS)
  @JsonPropertyDescription(
      "Environment variables of the dev server; literal values only, so a session cannot read"
          + " Secrets.")
  private List<EnvEntry> env = new ArrayList<>();

  @JsonPropertyDescription("CPU and memory requests and limits of the dev-server container.")
  private ResourceRequirements resources;

  @Min(1)
  @JsonPropertyDescription(
      "Maximum lifetime in seconds from creation; then the pod is removed and the phase is"
          + " Expired. Unset = no limit.")
  private Long ttlSeconds;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds without an edit to the project and without a change of the synced revision after"
          + " which the session expires.")
  private Long idleTimeoutSeconds;

  @Default(DEFAULT_WORKSPACE_SIZE_LIMIT)
  @JsonPropertyDescription(
      "Size limit of the workspace volume (emptyDir) that holds the project files and build"
          + " output.")
  private Quantity workspaceSizeLimit = new Quantity(DEFAULT_WORKSPACE_SIZE_LIMIT);

  public String getProjectId() {
    return projectId;
  }

  public void setProjectId(String projectId) {
    this.projectId = projectId;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command == null ? new ArrayList<>() : command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args == null ? new ArrayList<>() : args;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<EnvEntry> getEnv() {
    return env;
  }

  public void setEnv(List<EnvEntry> env) {
    this.env = env == null ? new ArrayList<>() : env;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Long getTtlSeconds() {
    return ttlSeconds;
  }

  public void setTtlSeconds(Long ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }

  public Long getIdleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  public void setIdleTimeoutSeconds(Long idleTimeoutSeconds) {
    this.idleTimeoutSeconds = idleTimeoutSeconds;
  }

  public Quantity getWorkspaceSizeLimit() {
    return workspaceSizeLimit;
  }

  public void setWorkspaceSizeLimit(Quantity workspaceSizeLimit) {
    this.workspaceSizeLimit = workspaceSizeLimit;
  }
}
