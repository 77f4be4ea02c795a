package dev.velocity.preview.agent.sync;

import dev.velocity.preview.agent.AgentException;
import dev.velocity.preview.agent.Log;
import dev.velocity.preview.agent.fs.StateFile;
import dev.velocity.preview.agent.fs.TrackedPaths;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import dev.velocity.preview.agent.hydrate.HydrateConfig;
import dev.velocity.preview.agent.hydrate.Hydrator;
import dev.velocity.preview.agent.net.Backoff;
import dev.velocity.preview.protocol.EventType;
import dev.velocity.preview.protocol.ProjectEvent;
import dev.velocity.preview.protocol.SnapshotLocation;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar: streams events from the gateway starting after the applied revision, applies them
 * ({@link EventApplier}), persists and acks progress ({@link Progress}), and reconnects forever
 * with capped exponential backoff and jitter. A gap or a hash mismatch reconnects from the last
 * applied revision; {@code reauth} reconnects at once with the re-read token; {@code resync} (or a
 * missing state) re-hydrates in-process from {@code POST …/snapshot}.
 */
public final class SyncAgent implements AutoCloseable {
  /** How a stream ended. */
  private enum End {
    EOF,
    REAUTH,
    RESYNC,
    GAP,
    HASH_MISMATCH,
    PROTOCOL_ERROR,
    FAILED
  }

  private final SyncConfig config;
  private long lastMismatch = -1;
  private final SyncMetrics metrics = new SyncMetrics();
  private final TokenSource tokens;
  private final GatewayClient gateway;
  private final StateFile stateFile;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopped;
  private volatile boolean connected;
  private volatile boolean hydrated;
  private volatile boolean running;
  private volatile GatewayClient.EventStream current;
  private HealthServer health;

  /** An agent for {@code config} (nothing starts until {@link #run()}). */
  public SyncAgent(SyncConfig config) {
    this.config = config;
    this.tokens = new TokenSource(config.tokenFile());
    this.gateway =
        new GatewayClient(config.realtimeUrl(), config.projectId(), config.readTimeoutMillis());
    this.stateFile = new StateFile(config.stateDir());
  }

  /** The metrics (tests read them). */
  public SyncMetrics metrics() {
    return metrics;
  }

  /** The bound health port, once {@link #run()} started it. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /** Runs until {@link #close()}; returns normally when stopped. */
  public void run() throws IOException {
    running = true;
    try {
      Hydrator.resumePending(config.workspaceDir(), config.stateDir());
      health =
          new HealthServer(
              config.healthPort(), () -> running, this::readinessProblem, this::renderMetrics);
      long start = initialRevision();
      try (WorkspaceFs fs = new WorkspaceFs(config.workspaceDir());
          Progress progress =
              new Progress(
                  stateFile,
                  config.projectId(),
                  start,
                  gateway,
                  tokens,
                  metrics,
                  config.ackIntervalMillis())) {
        TrackedPaths tracked =
            new TrackedPaths(config.workspaceDir().resolve(WorkspaceFs.AGENT_DIR));
        int swept = fs.sweepTempFiles(tracked.readAll());
        if (swept > 0) {
          Log.info("removed " + swept + " temp files left by an interrupted write");
        }
        EventApplier applier = new EventApplier(fs, tracked, metrics, start);
        metrics.appliedRevision.set(start);
        progress.start();
        loop(applier, progress);
      }
    } finally {
      running = false;
      connected = false;
      if (health != null) {
        health.close();
      }
      finished.countDown();
    }
  }

  private long initialRevision() {
    try {
      Optional<StateFile.State> s = stateFile.read();
      if (s.isPresent() && s.get().projectId().equals(config.projectId())) {
        hydrated = true;
        return s.get().revision();
      }
      Log.warn(
          s.isPresent()
              ? stateFile.path() + " holds project " + s.get().projectId() + ": re-hydrating"
              : stateFile.path() + " is missing: re-hydrating from a fresh snapshot");
    } catch (IOException e) {
      Log.warn(e.getMessage() + ": re-hydrating from a fresh snapshot");
    }
    return -1;
  }

  private void loop(EventApplier applier, Progress progress) {
    Backoff backoff = new Backoff(config.reconnectBaseMillis(), config.reconnectMaxMillis());
    long delay = 0;
    while (!stopped) {
      if (delay > 0) {
        sleep(delay);
      }
      if (stopped) {
        return;
      }
      if (!hydrated) {
        try {
          rehydrate(applier, progress);
          backoff.reset();
          delay = 0;
        } catch (IOException | AgentException e) {
          Log.warn("re-hydration failed: " + e.getMessage());
          delay = backoff.nextDelayMillis();
        }
        continue;
      }
      long since = applier.appliedRevision();
      long openedAt = System.nanoTime();
      long appliedBefore = metrics.appliedEvents();
      End end;
      try (GatewayClient.EventStream stream = gateway.openStream(since, tokens.read())) {
        current = stream;
        connected = true;
        if (stopped) {
          return;
        }
        end = consume(new SseReader(stream.body(), config.maxEventBytes()), applier, progress);
      } catch (SseReader.EventTooLargeException e) {
        Log.warn(e.getMessage() + ": re-hydrating instead");
        end = End.RESYNC;
      } catch (IOException e) {
        if (!stopped) {
          Log.warn("event stream from revision " + since + ": " + e.getMessage());
        }
        end = End.FAILED;
      } finally {
        current = null;
        connected = false;
      }
      if (stopped) {
        return;
      }
      metrics.reconnects.increment();
      // a stream that delivered or lived a while was healthy: the next failure starts over
      if (metrics.appliedEvents() > appliedBefore
          || System.nanoTime() - openedAt > TimeUnit.SECONDS.toNanos(5)) {
        backoff.reset();
      }
      if (end == End.RESYNC) {
        hydrated = false;
        delay = 0;
      } else if (end == End.REAUTH) {
        delay = 0;
      } else {
        delay = backoff.nextDelayMillis();
      }
    }
  }

  private End consume(SseReader reader, EventApplier applier, Progress progress)
      throws IOException {
    SseEvent sse;
    while ((sse = reader.next()) != null) {
      switch (sse.type()) {
        case EventType.RESYNC -> {
          Log.info("gateway asked for a resync after revision " + applier.appliedRevision());
          return End.RESYNC;
        }
        case EventType.REAUTH -> {
          Log.info("token expired: reconnecting with a fresh token");
          return End.REAUTH;
        }
        case EventType.FILE_UPDATE, EventType.FILE_DELETE, EventType.BULK_APPLY -> {
          End end = applyOne(sse, reader, applier, progress);
          if (end != null) {
            return end;
          }
        }
        default -> {
          // unknown events are ignored: newer gateways may send more
        }
      }
    }
    return End.EOF;
  }

  private End applyOne(SseEvent sse, SseReader reader, EventApplier applier, Progress progress)
      throws IOException {
    ProjectEvent event;
    try {
      event = EventParser.parse(sse.type(), sse.data());
    } catch (IOException e) {
      Log.warn("malformed " + sse.type() + " event (id " + sse.id() + "): " + e.getMessage());
      return End.PROTOCOL_ERROR;
    }
    EventApplier.Outcome outcome = applier.apply(event);
    switch (outcome) {
      case APPLIED -> {
        long done = System.nanoTime();
        metrics.applied.increment();
        metrics.observeApply(done - sse.receivedNanos());
        boolean idle = !reader.hasBufferedInput();
        metrics.lagMillis.set(idle ? 0 : lagMillis(event.timestamp()));
        progress.applied(event.revision());
        return null;
      }
      case DUPLICATE -> {
        metrics.duplicates.increment();
        return null;
      }
      case GAP -> {
        metrics.gaps.increment();
        Log.warn(
            "revision gap: got "
                + event.revision()
                + " after "
                + applier.appliedRevision()
                + "; reconnecting");
        return End.GAP;
      }
      case HASH_MISMATCH -> {
        metrics.hashMismatches.increment();
        if (event.revision() == lastMismatch) {
          // corrupt twice in a row: it is not the transfer, so asking again would loop forever
          Log.warn("event " + event.revision() + " is corrupt again: re-hydrating instead");
          return End.RESYNC;
        }
        lastMismatch = event.revision();
        return End.HASH_MISMATCH;
      }
      case NEEDS_SNAPSHOT -> {
        Log.info("event " + event.revision() + " carries no file bytes (binary): re-hydrating");
        return End.RESYNC;
      }
      default -> {
        return null;
      }
    }
  }

  private static long lagMillis(String timestamp) {
    if (timestamp == null) {
      return 0;
    }
    try {
      return Math.max(0, System.currentTimeMillis() - Instant.parse(timestamp).toEpochMilli());
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private void rehydrate(EventApplier applier, Progress progress) throws IOException {
    SnapshotLocation loc = gateway.requestSnapshot(tokens.read());
    URI url;
    try {
      url = new URI(loc.url());
    } catch (URISyntaxException e) {
      throw new IOException("the gateway's snapshot URL is not a URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme();
    if (!(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || loc.revision() < 0) {
      throw new IOException("the gateway's snapshot answer is not usable (scheme or revision)");
    }
    HydrateConfig hc =
        new HydrateConfig(
            url,
            loc.sha256().toLowerCase(java.util.Locale.ROOT),
            loc.revision(),
            config.projectId(),
            config.workspaceDir(),
            config.stateDir(),
            config.limits(),
            config.download());
    synchronized (progress) {
      Hydrator.Result r = new Hydrator(hc).run(true);
      applier.reset(r.revision());
      progress.reset(r.revision());
    }
    metrics.resyncs.increment();
    hydrated = true;
    Log.info("re-hydrated at revision " + loc.revision());
  }

  private String readinessProblem() {
    if (!hydrated) {
      return "workspace not hydrated";
    }
    if (!connected) {
      return "not connected to the gateway";
    }
    long lag = metrics.lagMillis.get();
    if (lag > config.readyMaxLagSeconds() * 1000) {
      return "lagging " + lag / 1000 + " s behind the project";
    }
    return null;
  }

  private String renderMetrics() {
    return metrics.render(connected, readinessProblem() == null);
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  /** Stops the loop, closes the stream and persists the applied revision. */
  @Override
  public void close() {
    stopped = true;
    GatewayClient.EventStream s = current;
    if (s != null) {
      s.close();
    }
  }

  /** Waits until {@link #run()} has returned. */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }
}
