package dev.velocity.preview.agent.sync;

import dev.velocity.preview.agent.Log;
import dev.velocity.preview.agent.fs.StateFile;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Persists and acks the applied revision off the apply thread. A tick runs 250 ms after the applied
 * revision first moves, but never sooner than a second after the previous tick, and writes {@code
 * state.json} (so persistence is batched under load and never ahead of disk: the apply thread
 * publishes a revision only after its files are renamed into place), and acks the persisted
 * revision to the gateway at most every {@code ACK_INTERVAL_MS}. Under a steady stream of edits
 * that is one write and one ack a second, not one write per edit: each cost the agent's mostly
 * interpreted code about half a millisecond of CPU. Persisting less often is safe: after a crash
 * the agent resumes from the saved revision and re-applies what came after it, which changes
 * nothing on disk (identical content is not rewritten, deleting a missing file is a no-op) before
 * the newer events bring it to the same state. Acks only feed the operator's idle detection
 * (minutes), so one a second is plenty; acking every caught-up event cost every session an HTTP
 * request and the database a write per edit.
 *
 * <p>Ticks are scheduled only when there is something to persist or ack: an idle agent does not
 * wake up at all (a fixed 250 ms ticker cost each idle agent JVM about 1.1 ms of CPU a second,
 * which is a fifth of a core for 200 sessions on one machine).
 */
final class Progress implements AutoCloseable {
  private static final long TICK_MILLIS = 250;
  private static final long MAX_TICK_GAP_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final StateFile stateFile;
  private final UUID projectId;
  private final GatewayClient gateway;
  private final TokenSource tokens;
  private final SyncMetrics metrics;
  private final long ackIntervalNanos;
  private final ScheduledThreadPoolExecutor ticker;
  private volatile long applied;
  private long persisted;
  private long acked = -1;
  private long lastAckNanos;
  private final long minTickGapNanos;
  private volatile long lastTickNanos;
  private final Object wakeLock = new Object();
  private ScheduledFuture<?> pending;
  private long pendingAtNanos;

  Progress(
      StateFile stateFile,
      UUID projectId,
      long revision,
      GatewayClient gateway,
      TokenSource tokens,
      SyncMetrics metrics,
      long ackIntervalMillis) {
    this.stateFile = stateFile;
    this.projectId = projectId;
    this.gateway = gateway;
    this.tokens = tokens;
    this.metrics = metrics;
    this.ackIntervalNanos = TimeUnit.MILLISECONDS.toNanos(ackIntervalMillis);
    this.minTickGapNanos = Math.min(ackIntervalNanos, MAX_TICK_GAP_NANOS);
    this.lastTickNanos = System.nanoTime() - minTickGapNanos;
    this.applied = revision;
    this.persisted = revision;
    this.lastAckNanos = System.nanoTime() - ackIntervalNanos;
    this.ticker =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "agent-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.setRemoveOnCancelPolicy(true);
  }

  void start() {
    wake(TICK_MILLIS);
  }

  /** The apply thread has {@code revision} on disk. */
  void applied(long revision) {
    applied = revision;
    metrics.appliedRevision.set(revision);
    long gap = minTickGapNanos - (System.nanoTime() - lastTickNanos);
    wake(Math.max(TICK_MILLIS, TimeUnit.NANOSECONDS.toMillis(gap)));
  }

  /**
   * Schedules a tick in {@code delayMillis} unless one is pending that soon already. A later
   * pending tick (one waiting for the ack interval) is brought forward, so a long {@code
   * ACK_INTERVAL_MS} never delays persisting.
   */
  private void wake(long delayMillis) {
    synchronized (wakeLock) {
      long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
      if (pending != null) {
        if (pendingAtNanos - at <= 0) {
          return;
        }
        pending.cancel(false);
      }
      try {
        pending = ticker.schedule(this::tick, delayMillis, TimeUnit.MILLISECONDS);
        pendingAtNanos = at;
      } catch (RejectedExecutionException closed) {
        pending = null;
      }
    }
  }

  /** After a re-hydration that already wrote {@code state.json} at {@code revision}. */
  synchronized void reset(long revision) {
    applied = revision;
    persisted = revision;
    acked = -1;
    metrics.appliedRevision.set(revision);
    wake(TICK_MILLIS);
  }

  /** Writes {@code state.json} if the applied revision moved. */
  synchronized void persist() {
    long a = applied;
    if (a == persisted) {
      return;
    }
    try {
      stateFile.write(new StateFile.State(projectId, a));
      persisted = a;
    } catch (IOException e) {
      Log.warn("cannot write " + stateFile.path() + ": " + e.getMessage());
    }
  }

  synchronized long persisted() {
    return persisted;
  }

  private void tick() {
    // cleared first: a revision applied from here on schedules the next tick itself
    lastTickNanos = System.nanoTime();
    synchronized (wakeLock) {
      pending = null;
    }
    try {
      persist();
      long p = persisted();
      long now = System.nanoTime();
      if (p > acked && now - lastAckNanos >= ackIntervalNanos) {
        lastAckNanos = now;
        try {
          gateway.ack(p, tokens.read());
          acked = p;
          metrics.ackedRevision.set(p);
        } catch (IOException e) {
          metrics.ackFailures.increment();
        }
      }
    } catch (RuntimeException e) {
      Log.warn("progress tick failed: " + e);
    }
    long sinceAck = System.nanoTime() - lastAckNanos;
    if (applied != persisted()) {
      wake(TimeUnit.NANOSECONDS.toMillis(minTickGapNanos));
    } else if (persisted() > acked) {
      // an ack is due (not yet allowed, or it failed): come back when the interval allows it
      wake(Math.max(TICK_MILLIS, TimeUnit.NANOSECONDS.toMillis(ackIntervalNanos - sinceAck)));
    }
  }

  /** Persists a final time and stops ticking. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    persist();
  }
}
