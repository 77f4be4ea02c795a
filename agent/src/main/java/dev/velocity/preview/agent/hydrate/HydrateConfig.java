package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.ConfigReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Configuration of {@code hydrate} (DESIGN.md §7), built from the environment.
 *
 * @param snapshotUrl {@code SNAPSHOT_URL}, the presigned GET URL of the zip
 * @param sha256 {@code SNAPSHOT_SHA256}, lowercase hex SHA-256 of the zip
 * @param revision {@code SNAPSHOT_REVISION}, the project revision the zip holds
 * @param projectId {@code PROJECT_ID}
 * @param workspaceDir {@code WORKSPACE_DIR} (default {@code /workspace})
 * @param stateDir {@code STATE_DIR} (default {@code /var/lib/preview})
 * @param limits {@code MAX_ENTRIES}, {@code MAX_FILE_BYTES}, {@code MAX_TOTAL_BYTES}, {@code
 *     MAX_RATIO}
 * @param download {@code DOWNLOAD_ATTEMPTS}, {@code DOWNLOAD_TIMEOUT_SECONDS}, backoff
 */
public record HydrateConfig(
    URI snapshotUrl,
    String sha256,
    long revision,
    UUID projectId,
    Path workspaceDir,
    Path stateDir,
    ExtractionLimits limits,
    DownloadSettings download) {

  /** Default of {@code WORKSPACE_DIR}. */
  public static final String DEFAULT_WORKSPACE = "/workspace";

  /** Default of {@code STATE_DIR}. */
  public static final String DEFAULT_STATE_DIR = "/var/lib/preview";

  /** Builds and validates the configuration from {@code env}. */
  public static HydrateConfig fromEnv(Map<String, String> env) {
    ConfigReader r = new ConfigReader(env);
    return new HydrateConfig(
        r.httpUrl("SNAPSHOT_URL"),
        r.sha256("SNAPSHOT_SHA256"),
        r.requiredLong("SNAPSHOT_REVISION", 0, Long.MAX_VALUE),
        r.uuid("PROJECT_ID"),
        r.path("WORKSPACE_DIR", DEFAULT_WORKSPACE),
        r.path("STATE_DIR", DEFAULT_STATE_DIR),
        ExtractionLimits.from(r),
        DownloadSettings.from(r));
  }

  /**
   * Download behaviour.
   *
   * @param attempts {@code DOWNLOAD_ATTEMPTS} (default 5)
   * @param timeoutMillis connect and read timeout, {@code DOWNLOAD_TIMEOUT_SECONDS} (default 30)
   * @param backoffBaseMillis first retry delay, {@code DOWNLOAD_BACKOFF_MS} (default 200)
   */
  public record DownloadSettings(int attempts, int timeoutMillis, long backoffBaseMillis) {
    /** Reads the download settings. */
    public static DownloadSettings from(ConfigReader r) {
      return new DownloadSettings(
          r.intValue("DOWNLOAD_ATTEMPTS", 5, 1, 100),
          r.intValue("DOWNLOAD_TIMEOUT_SECONDS", 30, 1, 3600) * 1000,
          r.longValue("DOWNLOAD_BACKOFF_MS", 200, 0, 60_000));
    }
  }
}
