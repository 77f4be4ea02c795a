package dev.velocity.preview.operator.realtime.feed;

import dev.velocity.preview.operator.realtime.GatewayMetrics;
import io.netty.util.concurrent.EventExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The live state of one project in this process: its subscribers (grouped by event loop, so a batch
 * costs one task per loop, not one per stream) and the last revision read for them.
 *
 * <p>A doorbell schedules at most one reader: however many notifications and streams there are,
 * each new revision is read from the table once per process, and reads of one project never run
 * concurrently.
 */
final class ProjectFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectFeed.class);
  private static final long MAX_RETRY_MILLIS = 5_000;

  private final UUID projectId;
  private final ChangeLog changeLog;
  private final int batchSize;
  private final Executor readers;
  private final ScheduledExecutorService scheduler;
  private final GatewayMetrics metrics;
  private final Map<EventExecutor, Set<FeedSubscriber>> subscribers = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile boolean dirty;
  private volatile boolean closed;
  private volatile long lastRead;
  private long retryMillis = 50;
  private int size;

  ProjectFeed(
      UUID projectId,
      ChangeLog changeLog,
      int batchSize,
      Executor readers,
      ScheduledExecutorService scheduler,
      GatewayMetrics metrics) {
    this.projectId = projectId;
    this.changeLog = changeLog;
    this.batchSize = batchSize;
    this.readers = readers;
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  /** Completes once the project is LISTENed to and its starting revision is known. */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** The LISTEN is in effect and the project was at {@code revision} after it. */
  void started(long revision) {
    lastRead = revision;
    ready.complete(null);
    if (dirty) {
      ring(Long.MAX_VALUE, null);
    }
  }

  /** Adds a subscriber; returns the number of subscribers. Caller serialises add/remove. */
  int add(FeedSubscriber s) {
    subscribers.computeIfAbsent(s.executor(), k -> ConcurrentHashMap.newKeySet()).add(s);
    return ++size;
  }

  /** Removes a subscriber; returns the number left. Caller serialises add/remove. */
  int remove(FeedSubscriber s) {
    Set<FeedSubscriber> set = subscribers.get(s.executor());
    if (set != null && set.remove(s)) {
      size--;
    }
    return size;
  }

  /** The last subscriber left: stop reading. */
  void close() {
    closed = true;
    ready.cancel(false);
  }

  /**
   * A change reached {@code revision}: read it unless it was read already. With a {@code
   * connection} (the idle LISTEN connection, on its own thread) one read is made right here;
   * anything more (a full batch, a change arriving meanwhile, a failure) continues on the readers.
   */
  void ring(long revision, Connection connection) {
    if (ready.isDone() && revision <= lastRead) {
      return;
    }
    dirty = true;
    // started() sets lastRead, completes ready, then looks at dirty: one of the two sees the other
    if (!ready.isDone()) {
      return;
    }
    if (reading.compareAndSet(false, true)) {
      if (connection == null || !readOnce(connection)) {
        readers.execute(this::drain);
      }
    }
  }

  /** One read on {@code c} while holding {@code reading}; true once reading is released. */
  private boolean readOnce(Connection c) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("project_id", projectId.toString())) {
      if (closed) {
        reading.set(false);
        return true;
      }
      dirty = false;
      int read = read(c);
      if (read >= batchSize || dirty) {
        return false;
      }
      reading.set(false);
      return !dirty || !reading.compareAndSet(false, true);
    } catch (SQLException | RuntimeException e) {
      // the readers retry on a pooled connection; a broken LISTEN connection is the listener's
      LOG.debug("reading project {} on the LISTEN connection failed: {}", projectId, e.toString());
      return false;
    }
  }

  /** Reads the revisions after {@code lastRead} and hands them out; returns how many. */
  private int read(Connection c) throws SQLException {
    long start = System.nanoTime();
    List<ChangeEvent> batch =
        c == null
            ? changeLog.changesSince(projectId, lastRead, batchSize)
            : ChangeLog.changesSince(c, projectId, lastRead, batchSize);
    if (!batch.isEmpty()) {
      long last = batch.get(batch.size() - 1).revision();
      metrics.trace().read(projectId, batch.get(0).revision(), last, start, System.nanoTime());
      lastRead = last;
      metrics.eventsReceived(batch.size());
      fanOut(batch);
    }
    return batch.size();
  }

  private void drain() {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("project_id", projectId.toString())) {
      while (!closed) {
        dirty = false;
        int read = read(null);
        retryMillis = 50;
        if (read >= batchSize || dirty) {
          continue;
        }
        reading.set(false);
        // a ring between the read and the flag reset found reading=true and only set dirty
        if (!dirty || !reading.compareAndSet(false, true)) {
          return;
        }
      }
      reading.set(false);
    } catch (SQLException | RuntimeException e) {
      long delay = retryMillis;
      retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
      LOG.warn(
          "reading changes of project {} after revision {} failed ({}); retrying in {} ms",
          projectId,
          lastRead,
          e.getMessage(),
          delay);
      try {
        scheduler.schedule(() -> readers.execute(this::drain), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shuttingDown) {
        reading.set(false);
      }
    }
  }

  private void fanOut(List<ChangeEvent> batch) {
    subscribers.forEach(
        (executor, set) -> {
          if (!set.isEmpty()) {
            try {
              executor.execute(
                  () -> {
                    for (FeedSubscriber s : set) {
                      s.onLive(batch);
                    }
                  });
            } catch (RejectedExecutionException shuttingDown) {
              // the event loop is stopping together with its streams
            }
          }
        });
  }
}
