package dev.velocity.preview.operator.reconciler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads session activity with one query, as the least-privilege {@code preview_operator} role:
 * {@code projects.revision}, the time of the project's latest event, and the session's row in
 * {@code preview_session_acks}.
 */
public final class JdbcSessionActivitySource implements SessionActivitySource {

  private static final String QUERY =
      """
      select p.revision,
             (select e.created_at from public.project_file_events e
               where e.project_id = p.id order by e.revision desc limit 1) as last_edit_at,
             a.revision as acked_revision,
             a.acked_at
        from (select ?::uuid as id) wanted
        left join public.projects p on p.id = wanted.id
        left join public.preview_session_acks a on a.session_uid = ?
      """;

  private final DataSource dataSource;

  public JdbcSessionActivitySource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public SessionActivity read(String sessionUid, UUID projectId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      statement.setObject(1, projectId);
      statement.setString(2, sessionUid);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        long revision = row.getLong(1);
        boolean exists = !row.wasNull();
        Instant lastEdit = instant(row.getTimestamp(2));
        long acked = row.getLong(3);
        Long ackedRevision = row.wasNull() ? null : acked;
        return new SessionActivity(
            exists, revision, lastEdit, ackedRevision, instant(row.getTimestamp(4)));
      }
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
