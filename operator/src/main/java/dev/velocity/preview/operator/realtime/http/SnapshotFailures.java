package dev.velocity.preview.operator.realtime.http;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps a snapshot provider's failure to the HTTP answer; details stay in the log. */
final class SnapshotFailures {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFailures.class);

  private SnapshotFailures() {}

  static ApiError toApiError(UUID projectId, RuntimeException e) {
    LOG.warn("snapshot of project {} failed: {}", projectId, e.toString());
    return ApiError.unavailable("the snapshot could not be built; retry later");
  }
}
