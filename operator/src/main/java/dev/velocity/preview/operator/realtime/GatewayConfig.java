package dev.velocity.preview.operator.realtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the realtime gateway, read once from the process environment and validated at start.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code GATEWAY_PORT}</td><td>8080</td><td>HTTP port ({@code 0}: any free port)</td></tr>
 *   <tr><td>{@code GATEWAY_SERVICE_TOKEN}</td><td>unset</td><td>shared secret of {@code POST
 *       /v1/snapshots}; unset disables that endpoint (404)</td></tr>
 *   <tr><td>{@code GATEWAY_MAX_STREAMS_PER_SESSION}</td><td>4</td><td>open event streams per
 *       session token subject before 429</td></tr>
 *   <tr><td>{@code GATEWAY_KEEPALIVE_SECONDS}</td><td>15</td><td>interval of {@code : keepalive}
 *       comments</td></tr>
 *   <tr><td>{@code GATEWAY_STREAM_BUFFER_BYTES}</td><td>4194304</td><td>bytes a stream may have
 *       queued unsent before it is closed as too slow</td></tr>
 *   <tr><td>{@code GATEWAY_REPLAY_BATCH}</td><td>200</td><td>revisions read per database round
 *       trip (replay and live)</td></tr>
 *   <tr><td>{@code GATEWAY_DB_HEARTBEAT_MILLIS}</td><td>1000</td><td>interval of the LISTEN
 *       connection's {@code SELECT 1}</td></tr>
 *   <tr><td>{@code GATEWAY_DB_TIMEOUT_MILLIS}</td><td>3000</td><td>a LISTEN connection read that
 *       takes longer is a lost connection</td></tr>
 *   <tr><td>{@code GATEWAY_DB_RECONNECT_MAX_MILLIS}</td><td>5000</td><td>longest back-off between
 *       reconnect attempts</td></tr>
 *   <tr><td>{@code GATEWAY_IDLE_TIMEOUT_SECONDS}</td><td>60</td><td>a connection silent this long
 *       before its next request is closed (event streams are exempt)</td></tr>
 *   <tr><td>{@code GATEWAY_IO_THREADS}</td><td>0</td><td>Netty event loop threads ({@code 0}:
 *       twice the CPU count)</td></tr>
 *   <tr><td>{@code GATEWAY_DB_THREADS}</td><td>6</td><td>threads for replay reads, project
 *       lookups and ack writes; keep it at least 3 below the pool size (the LISTEN connection and
 *       the two live readers need theirs)</td></tr>
 *   <tr><td>{@code GATEWAY_TRANSPORT}</td><td>auto</td><td>socket transport: {@code epoll}
 *       (Netty's native transport; start fails where it cannot load), {@code nio} (the JDK's), or
 *       {@code auto} (epoll where available, else NIO)</td></tr>
 * </table>
 *
 * @param port HTTP port, {@code 0} for an ephemeral one
 * @param serviceToken the orchestrators' shared secret, empty when the service endpoint is off
 * @param maxStreamsPerSession open streams allowed per session
 * @param keepaliveInterval interval between keepalive comments
 * @param streamBufferBytes unsent bytes a stream may queue before it is closed
 * @param replayBatch revisions per {@code project_changes_since} call
 * @param heartbeatInterval interval of the LISTEN connection heartbeat
 * @param databaseTimeout socket read timeout of the LISTEN connection
 * @param reconnectBackoffMax longest wait between reconnect attempts
 * @param idleTimeout how long a non-streaming connection may stay silent
 * @param ioThreads Netty event loop threads, {@code 0} for Netty's default
 * @param databaseThreads threads for blocking database work
 * @param transport which Netty transport the sockets use
 */
public record GatewayConfig(
    int port,
    Optional<String> serviceToken,
    int maxStreamsPerSession,
    Duration keepaliveInterval,
    int streamBufferBytes,
    int replayBatch,
    Duration heartbeatInterval,
    Duration databaseTimeout,
    Duration reconnectBackoffMax,
    Duration idleTimeout,
    int ioThreads,
    int databaseThreads,
    GatewayTransport transport) {

  /** Validates every field; the message names the environment variable. */
  public GatewayConfig {
    requireRange("GATEWAY_PORT", port, 0, 65535);
    serviceToken = serviceToken == null ? Optional.empty() : serviceToken;
    if (serviceToken.isPresent() && serviceToken.get().length() < 16) {
      throw new IllegalArgumentException(
          "GATEWAY_SERVICE_TOKEN must be at least 16 characters (it is a shared secret)");
    }
    requireRange("GATEWAY_MAX_STREAMS_PER_SESSION", maxStreamsPerSession, 1, 1000);
    requirePositive("GATEWAY_KEEPALIVE_SECONDS", keepaliveInterval);
    requireRange("GATEWAY_STREAM_BUFFER_BYTES", streamBufferBytes, 4096, 1 << 30);
    requireRange("GATEWAY_REPLAY_BATCH", replayBatch, 1, 10_000);
    requirePositive("GATEWAY_DB_HEARTBEAT_MILLIS", heartbeatInterval);
    requirePositive("GATEWAY_DB_TIMEOUT_MILLIS", databaseTimeout);
    requirePositive("GATEWAY_DB_RECONNECT_MAX_MILLIS", reconnectBackoffMax);
    requirePositive("GATEWAY_IDLE_TIMEOUT_SECONDS", idleTimeout);
    requireRange("GATEWAY_IO_THREADS", ioThreads, 0, 1024);
    requireRange("GATEWAY_DB_THREADS", databaseThreads, 1, 1024);
    if (transport == null) {
      throw new IllegalArgumentException("GATEWAY_TRANSPORT must be one of auto, nio, epoll");
    }
  }

  /** The defaults with an ephemeral port: handy for tests and the local stack. */
  public static GatewayConfig defaults() {
    return fromEnv(Map.of("GATEWAY_PORT", "0"));
  }

  /**
   * Reads the {@code GATEWAY_*} variables of {@code env} (others are ignored).
   *
   * @throws IllegalArgumentException naming the variable when a value is malformed or out of range
   */
  public static GatewayConfig fromEnv(Map<String, String> env) {
    return new GatewayConfig(
        intVar(env, "GATEWAY_PORT", 8080, 0, 65535),
        Optional.ofNullable(env.get("GATEWAY_SERVICE_TOKEN")).filter(s -> !s.isBlank()),
        intVar(env, "GATEWAY_MAX_STREAMS_PER_SESSION", 4, 1, 1000),
        Duration.ofSeconds(intVar(env, "GATEWAY_KEEPALIVE_SECONDS", 15, 1, 3600)),
        intVar(env, "GATEWAY_STREAM_BUFFER_BYTES", 4 * 1024 * 1024, 4096, 1 << 30),
        intVar(env, "GATEWAY_REPLAY_BATCH", 200, 1, 10_000),
        Duration.ofMillis(intVar(env, "GATEWAY_DB_HEARTBEAT_MILLIS", 1000, 50, 60_000)),
        Duration.ofMillis(intVar(env, "GATEWAY_DB_TIMEOUT_MILLIS", 3000, 100, 600_000)),
        Duration.ofMillis(intVar(env, "GATEWAY_DB_RECONNECT_MAX_MILLIS", 5000, 10, 600_000)),
        Duration.ofSeconds(intVar(env, "GATEWAY_IDLE_TIMEOUT_SECONDS", 60, 1, 86_400)),
        intVar(env, "GATEWAY_IO_THREADS", 0, 0, 1024),
        intVar(env, "GATEWAY_DB_THREADS", 6, 1, 1024),
        transportVar(env));
  }

  /** This config with another port. */
  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(
        newPort,
        serviceToken,
        maxStreamsPerSession,
        keepaliveInterval,
        streamBufferBytes,
        replayBatch,
        heartbeatInterval,
        databaseTimeout,
        reconnectBackoffMax,
        idleTimeout,
        ioThreads,
        databaseThreads,
        transport);
  }

  /** The values as environment variables (the service token masked), for the start-up log. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("GATEWAY_PORT", Integer.toString(port));
    out.put("GATEWAY_SERVICE_TOKEN", serviceToken.isPresent() ? "<set>" : "<unset>");
    out.put("GATEWAY_MAX_STREAMS_PER_SESSION", Integer.toString(maxStreamsPerSession));
    out.put("GATEWAY_KEEPALIVE_SECONDS", Long.toString(keepaliveInterval.toSeconds()));
    out.put("GATEWAY_STREAM_BUFFER_BYTES", Integer.toString(streamBufferBytes));
    out.put("GATEWAY_REPLAY_BATCH", Integer.toString(replayBatch));
    out.put("GATEWAY_DB_HEARTBEAT_MILLIS", Long.toString(heartbeatInterval.toMillis()));
    out.put("GATEWAY_DB_TIMEOUT_MILLIS", Long.toString(databaseTimeout.toMillis()));
    out.put("GATEWAY_DB_RECONNECT_MAX_MILLIS", Long.toString(reconnectBackoffMax.toMillis()));
    out.put("GATEWAY_IDLE_TIMEOUT_SECONDS", Long.toString(idleTimeout.toSeconds()));
    out.put("GATEWAY_IO_THREADS", Integer.toString(ioThreads));
    out.put("GATEWAY_DB_THREADS", Integer.toString(databaseThreads));
    out.put("GATEWAY_TRANSPORT", transport.envValue());
    return out;
  }

  private static int intVar(
      Map<String, String> env, String name, int defaultValue, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + raw + "'", e);
    }
    requireRange(name, value, min, max);
    return value;
  }

  private static GatewayTransport transportVar(Map<String, String> env) {
    String raw = env.get("GATEWAY_TRANSPORT");
    return raw == null || raw.isBlank() ? GatewayTransport.AUTO : GatewayTransport.parse(raw);
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
