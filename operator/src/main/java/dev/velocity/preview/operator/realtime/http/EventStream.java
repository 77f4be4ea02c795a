package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.realtime.DeliveryTrace;
import dev.velocity.preview.operator.realtime.feed.ChangeEvent;
import dev.velocity.preview.operator.realtime.feed.FeedSubscriber;
import dev.velocity.preview.operator.realtime.feed.SseFrames;
import dev.velocity.preview.operator.token.SessionClaims;
import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.EventType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One open {@code GET /v1/projects/{id}/events} stream. All of its state lives on its channel's
 * event loop.
 *
 * <p>It registers for live events first, then replays from the change log in chunks (each chunk
 * written only once the previous one has drained to the socket), holding live batches meanwhile;
 * when a replay read comes back short, the table has nothing newer than what was written, so it
 * sends the held batches and switches to live. Every write skips revisions at or below the last one
 * sent, so a revision that arrives both ways is sent once; a gap (which the dense revisions make
 * visible) sends it back to replay.
 */
final class EventStream implements FeedSubscriber {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  private static final long CLOSE_GRACE_MILLIS = 5_000;
  private static final String LOST_HISTORY = "XX001";

  private enum State {
    REPLAYING,
    LIVE,
    CLOSED
  }

  private final GatewayContext gateway;
  private final StreamRegistry registry;
  private final Channel channel;
  private final ChannelHandlerContext out;
  private final SessionClaims claims;
  private final long since;
  private final long projectRevision;
  private final ArrayDeque<List<ChangeEvent>> held = new ArrayDeque<>();
  private State state = State.REPLAYING;
  private long lastSent;
  private long heldBytes;
  private boolean firstRead = true;
  private boolean readInFlight;
  private boolean droppedSinceRead;
  private boolean awaitingWritable;
  private long replayed;
  private ScheduledFuture<?> keepalive;
  private ScheduledFuture<?> expiry;

  EventStream(
      GatewayContext gateway,
      StreamRegistry registry,
      Channel channel,
      SessionClaims claims,
      long since,
      long projectRevision) {
    this.gateway = gateway;
    this.registry = registry;
    this.channel = channel;
    // chunks are framed in advance (SseFrames), so they are written past the HTTP encoder
    this.out = channel.pipeline().context(GatewayChannels.HTTP_CODEC);
    this.claims = claims;
    this.since = since;
    this.projectRevision = projectRevision;
    this.lastSent = since;
  }

  @Override
  public UUID projectId() {
    return claims.projectId();
  }

  @Override
  public EventExecutor executor() {
    return channel.eventLoop();
  }

  /** The session this stream belongs to. */
  String sessionUid() {
    return claims.sessionUid();
  }

  /** Starts the stream (on the event loop, after the response head was written). */
  void start() {
    gateway.metrics().streamOpened();
    registry.attach(claims.sessionUid(), this);
    channel.closeFuture().addListener(f -> onLoop(() -> finish("client_closed", null)));
    long keepaliveMillis = gateway.config().keepaliveInterval().toMillis();
    keepalive =
        channel
            .eventLoop()
            .scheduleAtFixedRate(
                this::sendKeepalive, keepaliveMillis, keepaliveMillis, TimeUnit.MILLISECONDS);
    long untilExpiry = Math.max(0, Duration.between(Instant.now(), claims.expiresAt()).toMillis());
    expiry = channel.eventLoop().schedule(this::expire, untilExpiry, TimeUnit.MILLISECONDS);
    log(false, "stream opened after revision {}", since);
    if (since > projectRevision) {
      resync("the requested revision " + since + " is newer than the project's");
      return;
    }
    gateway
        .feeds()
        .subscribe(this)
        .whenComplete(
            (ok, error) ->
                onLoop(
                    () -> {
                      if (error != null) {
                        finish("shutdown", null);
                      } else if (state == State.REPLAYING && !readInFlight) {
                        issueRead();
                      }
                    }));
  }

  @Override
  public void onLive(List<ChangeEvent> batch) {
    if (state == State.LIVE) {
      writeLive(batch);
    } else if (state == State.REPLAYING) {
      long bytes = 0;
      for (ChangeEvent e : batch) {
        bytes += e.size();
      }
      if (heldBytes + bytes > gateway.config().streamBufferBytes()) {
        // the replay reads until the table has nothing newer, so dropped batches come back
        held.clear();
        heldBytes = 0;
        droppedSinceRead = true;
      } else {
        held.add(batch);
        heldBytes += bytes;
      }
    }
  }

  /** The socket drained below the low-water mark: a waiting replay may read its next chunk. */
  void onWritable() {
    if (awaitingWritable && channel.isWritable() && state == State.REPLAYING) {
      awaitingWritable = false;
      issueRead();
    }
  }

  /** The session was revoked: end the stream (on the event loop). */
  void revoke() {
    onLoop(() -> finish("revoked", SseFrames.comment("session revoked")));
  }

  /** The gateway is stopping: end the stream (on the event loop). */
  void shutdown() {
    onLoop(() -> finish("shutdown", null));
  }

  private void issueRead() {
    readInFlight = true;
    droppedSinceRead = false;
    long from = lastSent;
    int batch = gateway.config().replayBatch();
    try {
      gateway
          .database()
          .execute(
              () -> {
                try {
                  List<ChangeEvent> chunk =
                      gateway.changeLog().changesSince(claims.projectId(), from, batch);
                  onLoop(() -> onChunk(from, chunk));
                } catch (Exception e) {
                  onLoop(() -> onReadFailed(e));
                }
              });
    } catch (RuntimeException rejected) {
      finish("shutdown", null);
    }
  }

  private void onChunk(long from, List<ChangeEvent> chunk) {
    readInFlight = false;
    if (state == State.CLOSED) {
      return;
    }
    boolean starts = !chunk.isEmpty() && chunk.get(0).revision() == from + 1;
    if (!chunk.isEmpty() && !starts) {
      resync("the change log no longer holds revision " + (from + 1));
      return;
    }
    if (firstRead && since < projectRevision && chunk.isEmpty()) {
      resync("the change log no longer reaches back to revision " + (since + 1));
      return;
    }
    firstRead = false;
    int written = 0;
    for (ChangeEvent e : chunk) {
      if (e.revision() > lastSent) {
        write(e);
        written++;
      }
    }
    if (written > 0) {
      out.flush();
      gateway.metrics().eventsSent(written);
      replayed += written;
    }
    if (!channel.isWritable()) {
      // read again (or go live) only once this chunk has drained: replay never outruns the client
      awaitingWritable = true;
    } else if (chunk.size() >= gateway.config().replayBatch() || droppedSinceRead) {
      issueRead();
    } else {
      goLive();
    }
  }

  private void goLive() {
    if (replayed >= 0) {
      gateway.metrics().replayed(replayed);
      replayed = -1;
    }
    state = State.LIVE;
    while (!held.isEmpty() && state == State.LIVE) {
      writeLive(held.poll());
    }
    held.clear();
    heldBytes = 0;
  }

  private void writeLive(List<ChangeEvent> batch) {
    // the backlog left by earlier batches must have drained below the bound; a batch itself is
    // written whole (its frames are shared by every stream, so it costs this stream no copy)
    if (!channel.isWritable()) {
      overflow();
      return;
    }
    int written = 0;
    long before = lastSent;
    for (ChangeEvent e : batch) {
      if (e.revision() <= lastSent) {
        continue;
      }
      if (e.revision() != lastSent + 1) {
        LOG.warn(
            "stream of project {} expected revision {} but got {}; reading the gap from the table",
            claims.projectId(),
            lastSent + 1,
            e.revision());
        state = State.REPLAYING;
        held.clear();
        heldBytes = 0;
        issueRead();
        break;
      }
      write(e);
      written++;
    }
    if (written > 0) {
      out.flush();
      sent(batch, before, lastSent);
      gateway.metrics().eventsSent(written);
    }
  }

  /** Commit → send of the revisions {@code (after, upTo]} of {@code batch}, just flushed. */
  private void sent(List<ChangeEvent> batch, long after, long upTo) {
    long nanos = System.nanoTime();
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    DeliveryTrace trace = gateway.metrics().trace();
    for (ChangeEvent e : batch) {
      if (e.revision() > after && e.revision() <= upTo) {
        gateway.metrics().commitToSend(micros - e.committedAtMicros());
        trace.sent(e.revision(), e.committedAtMicros(), nanos);
      }
    }
  }

  private void write(ChangeEvent e) {
    out.write(e.frame(), out.voidPromise());
    lastSent = e.revision();
  }

  private void onReadFailed(Exception e) {
    readInFlight = false;
    if (e instanceof SQLException sql && LOST_HISTORY.equals(sql.getSQLState())) {
      // project_changes_since refuses to replay a revision whose file versions were pruned
      resync("the change log no longer holds revision " + (lastSent + 1));
      return;
    }
    LOG.warn("replay read of project {} failed: {}", claims.projectId(), e.getMessage());
    finish("database_error", SseFrames.comment("database unavailable; reconnect later"));
  }

  private void sendKeepalive() {
    if (state != State.CLOSED) {
      out.writeAndFlush(SseFrames.keepalive(), out.voidPromise());
    }
  }

  private void expire() {
    finish("reauth", SseFrames.control(EventType.REAUTH, controlData(lastSent, "token expired")));
  }

  private void resync(String why) {
    finish("resync", SseFrames.control(EventType.RESYNC, controlData(projectRevision, why)));
  }

  private void overflow() {
    finish(
        "overflow",
        SseFrames.comment(
            "overflow: more than "
                + gateway.config().streamBufferBytes()
                + " bytes unsent; reconnect with Last-Event-ID "
                + lastSent));
  }

  private String controlData(long revision, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("projectId", claims.projectId().toString());
    data.put("revision", revision);
    data.put("reason", reason);
    return EventJson.write(data);
  }

  private void finish(String reason, ByteBuf lastFrame) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    held.clear();
    if (keepalive != null) {
      keepalive.cancel(false);
    }
    if (expiry != null) {
      expiry.cancel(false);
    }
    gateway.feeds().unsubscribe(this);
    registry.release(claims.sessionUid(), this);
    gateway.metrics().streamClosed(reason);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("event_type", reason)) {
      // ordinary ends are routine at thousands of streams; the others deserve a line each
      boolean notable = !reason.equals("client_closed") && !reason.equals("shutdown");
      log(notable, "stream closed ({}) after revision {}", reason, lastSent);
    }
    if (channel.isActive()) {
      if (lastFrame != null) {
        out.write(lastFrame, out.voidPromise());
      }
      out.writeAndFlush(SseFrames.lastChunk()).addListener(ChannelFutureListener.CLOSE);
      channel
          .eventLoop()
          .schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void log(boolean info, String message, Object... args) {
    try (MDC.MDCCloseable p = MDC.putCloseable("project_id", claims.projectId().toString());
        MDC.MDCCloseable s = MDC.putCloseable("session_id", claims.session())) {
      if (info) {
        LOG.info(message, args);
      } else {
        LOG.debug(message, args);
      }
    }
  }

  private void onLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      try {
        channel.eventLoop().execute(task);
      } catch (RuntimeException rejected) {
        // the event loop is shutting down and closes the channel itself
      }
    }
  }
}
