package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.snapshot.SnapshotException.Reason;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;

/** Maps JDBC failures to {@link SnapshotException} reasons. */
final class DatabaseErrors {
  private DatabaseErrors() {}

  static SnapshotException translate(UUID projectId, String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if ("PT404".equals(state)) {
      return new SnapshotException(
          Reason.PROJECT_NOT_FOUND, "project " + projectId + " does not exist", e);
    }
    if (isUnavailable(e, state)) {
      return new SnapshotException(
          Reason.DATABASE_UNAVAILABLE,
          what + " for project " + projectId + ": database unavailable: " + e.getMessage(),
          e);
    }
    return new SnapshotException(
        Reason.BUILD_FAILED,
        what + " for project " + projectId + " failed (SQLSTATE " + state + "): " + e.getMessage(),
        e);
  }

  private static boolean isUnavailable(SQLException e, String state) {
    return e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        // connection exception, insufficient resources, operator intervention (shutdown)
        || state.startsWith("08")
        || state.startsWith("53")
        || state.startsWith("57P");
  }
}
