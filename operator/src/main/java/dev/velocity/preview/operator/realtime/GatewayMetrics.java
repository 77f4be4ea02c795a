package dev.velocity.preview.operator.realtime;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The gateway's Prometheus metrics, registered in one registry (its own unless main passes the
 * process-wide one). Names are prefixed {@code preview_gateway_}.
 */
public final class GatewayMetrics {
  private final PrometheusRegistry registry;
  private final Gauge streamsOpen;
  private final Counter streamsClosed;
  private final Counter eventsIn;
  private final Counter eventsOut;
  private final Histogram replayEvents;
  private final Histogram commitToSend;
  private final Counter dbReconnects;
  private final Gauge listening;
  private final Gauge projectsListened;
  private volatile DeliveryTrace trace = DeliveryTrace.NONE;

  /**
   * Bucket bounds (seconds) of {@code preview_gateway_commit_to_send_seconds}: fine around the 5 ms
   * / 30 ms targets, coarse beyond.
   */
  static final double[] COMMIT_TO_SEND_BOUNDS = {
    0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.008, 0.010, 0.015, 0.020, 0.025, 0.030,
    0.050, 0.100, 0.250, 0.5, 1, 2.5, 5, 10
  };

  /** Metrics in a registry of their own. */
  public GatewayMetrics() {
    this(new PrometheusRegistry());
  }

  /** Metrics registered in {@code registry}. */
  public GatewayMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    streamsOpen =
        Gauge.builder()
            .name("preview_gateway_streams_open")
            .help("Event streams currently open")
            .register(registry);
    streamsClosed =
        Counter.builder()
            .name("preview_gateway_streams_closed_total")
            .help("Event streams closed, by reason")
            .labelNames("reason")
            .register(registry);
    eventsIn =
        Counter.builder()
            .name("preview_gateway_events_received_total")
            .help("Revisions read from the change log for live fan-out (once per process)")
            .register(registry);
    eventsOut =
        Counter.builder()
            .name("preview_gateway_events_sent_total")
            .help("Events written to streams (replay and live)")
            .register(registry);
    replayEvents =
        Histogram.builder()
            .name("preview_gateway_replay_events")
            .help("Events replayed from the change log when a stream opens")
            .classicUpperBounds(0, 1, 10, 100, 1_000, 10_000, 100_000)
            .classicOnly()
            .register(registry);
    commitToSend =
        Histogram.builder()
            .name("preview_gateway_commit_to_send_seconds")
            .help("Time from a change's database timestamp to its live write to a stream")
            .classicUpperBounds(COMMIT_TO_SEND_BOUNDS)
            .classicOnly()
            .register(registry);
    dbReconnects =
        Counter.builder()
            .name("preview_gateway_db_reconnects_total")
            .help("Times the LISTEN connection was re-established after a loss")
            .register(registry);
    listening =
        Gauge.builder()
            .name("preview_gateway_db_listening")
            .help("1 while the LISTEN connection is up")
            .register(registry);
    projectsListened =
        Gauge.builder()
            .name("preview_gateway_projects_listened")
            .help("Projects with at least one open stream (one LISTEN each)")
            .register(registry);
  }

  /** The registry holding these metrics. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** A stream opened. */
  public void streamOpened() {
    streamsOpen.inc();
  }

  /** A stream closed for {@code reason}. */
  public void streamClosed(String reason) {
    streamsOpen.dec();
    streamsClosed.labelValues(reason).inc();
  }

  /** {@code n} revisions read for live fan-out. */
  public void eventsReceived(int n) {
    eventsIn.inc(n);
  }

  /** {@code n} events written to one stream. */
  public void eventsSent(int n) {
    eventsOut.inc(n);
  }

  /** A stream's replay finished after {@code n} events. */
  public void replayed(long n) {
    replayEvents.observe(n);
  }

  /**
   * One live event flushed to a stream {@code micros} after its database timestamp ({@code
   * created_at}, the writing transaction's start).
   */
  public void commitToSend(long micros) {
    commitToSend.observe(Math.max(0, micros) / 1e6);
  }

  /** Installs a per-stage {@link DeliveryTrace} ({@link DeliveryTrace#NONE} to stop). */
  public void trace(DeliveryTrace t) {
    this.trace = t == null ? DeliveryTrace.NONE : t;
  }

  /** The installed trace (never null). */
  public DeliveryTrace trace() {
    return trace;
  }

  /** The LISTEN connection came back after a loss. */
  public void dbReconnected() {
    dbReconnects.inc();
  }

  /** The LISTEN connection went up or down. */
  public void listening(boolean up) {
    listening.set(up ? 1 : 0);
  }

  /** How many projects are LISTENed to. */
  public void projectsListened(int n) {
    projectsListened.set(n);
  }

  /** Streams open now. */
  public long streamsOpen() {
    return (long) streamsOpen.get();
  }

  /** Streams closed so far for {@code reason}. */
  public long streamsClosed(String reason) {
    return (long) streamsClosed.labelValues(reason).get();
  }

  /** Total events written to streams so far. */
  public long eventsSentTotal() {
    return (long) eventsOut.get();
  }

  /** Total revisions read for fan-out so far. */
  public long eventsReceivedTotal() {
    return (long) eventsIn.get();
  }

  /** Reconnects so far. */
  public long dbReconnectsTotal() {
    return (long) dbReconnects.get();
  }

  /** The Prometheus text exposition of the registry. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
