package dev.velocity.preview.operator.reconciler;

import java.sql.SQLException;
import java.util.UUID;

/** Reads a session's activity: its project's revision and its agent's acknowledgements. */
@FunctionalInterface
public interface SessionActivitySource {

  /**
   * The activity of the session with UID {@code sessionUid} on {@code projectId}.
   *
   * @throws SQLException when the database cannot be read
   */
  SessionActivity read(String sessionUid, UUID projectId) throws SQLException;
}
