package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.operator.realtime.feed.DatabaseListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;

/**
 * Terminates the gateway's LISTEN connection with {@code pg_terminate_backend}, as an idle-session
 * killer or a failover would. Found in {@code pg_stat_activity} by the application name the gateway
 * sets on it, or by a last query starting with {@code LISTEN}.
 */
final class ListenBackendTermination implements Fault {
  private static final String SQL =
      "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
          + " where pid <> pg_backend_pid() and backend_type = 'client backend'"
          + " and (application_name = ? or query ilike 'LISTEN%')";

  @Override
  public FaultKind kind() {
    return FaultKind.LISTEN_BACKEND_TERMINATED;
  }

  @Override
  public String inject(ChaosTarget target, Random random) throws SQLException {
    try (Connection c = target.stack().database().admin().getConnection();
        PreparedStatement ps = c.prepareStatement(SQL)) {
      ps.setString(1, DatabaseListener.APPLICATION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return "terminated " + rs.getLong(1) + " LISTEN backend(s)";
      }
    }
  }
}
