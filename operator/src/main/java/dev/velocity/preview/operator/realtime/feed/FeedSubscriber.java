package dev.velocity.preview.operator.realtime.feed;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.UUID;

/** A stream that receives a project's live events from its {@link ProjectFeeds feed}. */
public interface FeedSubscriber {

  /** The project whose events this subscriber wants. */
  UUID projectId();

  /** The thread every {@link #onLive} call runs on (the stream's channel event loop). */
  EventExecutor executor();

  /**
   * A batch of consecutive revisions read from the change log after the subscriber registered (or
   * shortly before: it may repeat revisions the subscriber already has). Runs on {@link
   * #executor()}.
   */
  void onLive(List<ChangeEvent> batch);
}
