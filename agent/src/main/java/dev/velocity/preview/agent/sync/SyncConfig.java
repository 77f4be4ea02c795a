package dev.velocity.preview.agent.sync;

import dev.velocity.preview.agent.ConfigReader;
import dev.velocity.preview.agent.hydrate.ExtractionLimits;
import dev.velocity.preview.agent.hydrate.HydrateConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Configuration of {@code sync} (DESIGN.md §7), built from the environment.
 *
 * @param realtimeUrl {@code REALTIME_URL}, the gateway's base URL
 * @param projectId {@code PROJECT_ID}
 * @param tokenFile {@code TOKEN_FILE} (default {@code /var/run/preview/token}), re-read on every
 *     connect
 * @param workspaceDir {@code WORKSPACE_DIR}
 * @param stateDir {@code STATE_DIR}
 * @param healthPort {@code HEALTH_PORT} (default 8081; 0 picks a free port)
 * @param reconnectBaseMillis {@code RECONNECT_BASE_MS} (default 250)
 * @param reconnectMaxMillis {@code RECONNECT_MAX_MS} (default 30000)
 * @param readTimeoutMillis {@code READ_TIMEOUT_SECONDS} (default 45; keepalives come every 15 s)
 * @param readyMaxLagSeconds {@code READY_MAX_LAG_SECONDS} (default 30)
 * @param ackIntervalMillis {@code ACK_INTERVAL_MS} (default 5000)
 * @param maxEventBytes {@code MAX_EVENT_BYTES} (default an eighth of the heap, at most 64 MiB): a
 *     larger event is replaced by a re-hydration from a snapshot, which streams through the disk
 * @param limits extraction limits for re-hydration
 * @param download download settings for re-hydration
 */
public record SyncConfig(
    URI realtimeUrl,
    UUID projectId,
    Path tokenFile,
    Path workspaceDir,
    Path stateDir,
    int healthPort,
    long reconnectBaseMillis,
    long reconnectMaxMillis,
    int readTimeoutMillis,
    long readyMaxLagSeconds,
    long ackIntervalMillis,
    int maxEventBytes,
    ExtractionLimits limits,
    HydrateConfig.DownloadSettings download) {

  /**
   * An eighth of the heap, between 1 and 64 MiB: parsing an event holds it about four times over
   * (bytes, UTF-16 content, UTF-8 content), so a small sidecar heap re-hydrates instead of failing.
   */
  static int defaultMaxEventBytes() {
    long eighth = Runtime.getRuntime().maxMemory() / 8;
    return (int) Math.max(1 << 20, Math.min(64L << 20, eighth));
  }

  /** Builds and validates the configuration from {@code env}. */
  public static SyncConfig fromEnv(Map<String, String> env) {
    ConfigReader r = new ConfigReader(env);
    return new SyncConfig(
        r.httpUrl("REALTIME_URL"),
        r.uuid("PROJECT_ID"),
        r.path("TOKEN_FILE", "/var/run/preview/token"),
        r.path("WORKSPACE_DIR", HydrateConfig.DEFAULT_WORKSPACE),
        r.path("STATE_DIR", HydrateConfig.DEFAULT_STATE_DIR),
        r.intValue("HEALTH_PORT", 8081, 0, 65535),
        r.longValue("RECONNECT_BASE_MS", 250, 1, 600_000),
        r.longValue("RECONNECT_MAX_MS", 30_000, 1, 3_600_000),
        r.intValue("READ_TIMEOUT_SECONDS", 45, 1, 3600) * 1000,
        r.longValue("READY_MAX_LAG_SECONDS", 30, 0, 86_400),
        r.longValue("ACK_INTERVAL_MS", 5000, 10, 600_000),
        r.intValue("MAX_EVENT_BYTES", defaultMaxEventBytes(), 1024, Integer.MAX_VALUE - 64),
        ExtractionLimits.from(r),
        HydrateConfig.DownloadSettings.from(r));
  }
}
