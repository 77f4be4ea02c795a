package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.snapshot.SnapshotException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Maps a snapshot provider's failure to the HTTP answer. Details (endpoints, keys, SQL) stay in the
 * log; the caller learns only what it can act on.
 */
final class SnapshotFailures {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFailures.class);

  private SnapshotFailures() {}

  static ApiError toApiError(UUID projectId, RuntimeException e) {
    try (MDC.MDCCloseable p = MDC.putCloseable("project_id", projectId.toString())) {
      LOG.warn("snapshot of project {} failed: {}", projectId, e.toString());
    }
    if (e instanceof SnapshotException s) {
      return switch (s.reason()) {
        case PROJECT_NOT_FOUND -> ApiError.notFound("project " + projectId + " does not exist");
        case DATABASE_UNAVAILABLE, STORAGE_UNAVAILABLE ->
            ApiError.unavailable("the snapshot could not be built; retry later");
        case STORAGE_DENIED, BUILD_FAILED ->
            new ApiError(
                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "snapshot_failed",
                "the snapshot could not be built; the operator's log has the cause");
      };
    }
    return ApiError.unavailable("the snapshot could not be built; retry later");
  }
}
