package dev.velocity.preview.operator.realtime.feed;

import dev.velocity.preview.operator.realtime.GatewayMetrics;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Every project that has open streams in this process, and the {@link DatabaseListener} they share:
 * the first subscriber of a project LISTENs, the last one UNLISTENs, and each doorbell reads the
 * new revisions once and hands them to every subscriber.
 *
 * <p>A subscriber must wait for {@link #subscribe} to complete before it reads its replay: from
 * then on every revision newer than what the table held at that moment reaches it live, so replay
 * plus live has no gap (a revision in both is skipped by the subscriber).
 */
public final class ProjectFeeds implements DatabaseListener.Doorbell {
  private final Map<UUID, ProjectFeed> feeds = new ConcurrentHashMap<>();
  private final ChangeLog changeLog;
  private final int batchSize;
  private final Executor readers;
  private final ScheduledExecutorService scheduler;
  private final GatewayMetrics metrics;
  private volatile DatabaseListener listener;

  /**
   * Feeds reading through {@code changeLog} on {@code readers}, {@code batchSize} revisions a time.
   */
  public ProjectFeeds(
      ChangeLog changeLog,
      int batchSize,
      Executor readers,
      ScheduledExecutorService scheduler,
      GatewayMetrics metrics) {
    this.changeLog = changeLog;
    this.batchSize = batchSize;
    this.readers = readers;
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  /** Connects the feeds to the listener whose doorbell they are (once, before any subscriber). */
  public void attach(DatabaseListener databaseListener) {
    this.listener = databaseListener;
  }

  /**
   * Registers {@code s} for live events of its project. The future completes when the project is
   * LISTENed to; only then may {@code s} read its replay.
   */
  public CompletableFuture<Void> subscribe(FeedSubscriber s) {
    ProjectFeed feed =
        feeds.compute(
            s.projectId(),
            (id, existing) -> {
              ProjectFeed f = existing;
              if (f == null) {
                f = new ProjectFeed(id, changeLog, batchSize, readers, scheduler, metrics);
                ProjectFeed created = f;
                listener.listen(id).thenAccept(created::started);
              }
              f.add(s);
              return f;
            });
    return feed.ready();
  }

  /** Unregisters {@code s}; the project is UNLISTENed when its last subscriber leaves. */
  public void unsubscribe(FeedSubscriber s) {
    feeds.computeIfPresent(
        s.projectId(),
        (id, f) -> {
          if (f.remove(s) > 0) {
            return f;
          }
          f.close();
          listener.unlisten(id);
          return null;
        });
  }

  /** Projects with at least one subscriber. */
  public int projects() {
    return feeds.size();
  }

  @Override
  public void ring(UUID projectId, long revision, Connection connection) {
    ProjectFeed feed = feeds.get(projectId);
    if (feed != null) {
      feed.ring(revision, connection);
    }
  }

  @Override
  public void reconnected() {
    feeds.values().forEach(f -> f.ring(Long.MAX_VALUE, null));
  }
}
