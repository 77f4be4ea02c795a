package dev.velocity.preview.operator.reconciler;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Project revisions and acks set by the test; can pretend the database is down. */
final class ScriptedActivity implements SessionActivitySource {

  private final Map<UUID, Long> revisions = new ConcurrentHashMap<>();
  private final Map<String, Long> acks = new ConcurrentHashMap<>();
  volatile boolean down;

  void revision(UUID projectId, long revision) {
    revisions.put(projectId, revision);
  }

  void ack(String sessionUid, long revision) {
    acks.put(sessionUid, revision);
  }

  @Override
  public SessionActivity read(String sessionUid, UUID projectId) throws SQLException {
    if (down) {
      throw new SQLException("Connection refused", "08001");
    }
    Long revision = revisions.get(projectId);
    Long acked = acks.get(sessionUid);
    return new SessionActivity(
        revision != null,
        revision == null ? 0 : revision,
        null,
        acked,
        acked == null ? null : Instant.now());
  }
}
