package dev.velocity.preview.operator.realtime;

import dev.velocity.preview.operator.realtime.feed.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Records each session's applied revision in {@code preview_session_acks} (DESIGN.md §6), the one
 * table the gateway writes. The stored revision never goes backwards: a late or repeated ack only
 * refreshes {@code acked_at}.
 */
public final class AckWriter {
  private static final String UPSERT =
      "insert into preview_session_acks (session_uid, project_id, revision, acked_at)"
          + " select ?, p.id, ?, now() from projects p where p.id = ? and ? <= p.revision"
          + " on conflict (session_uid) do update"
          + " set revision = greatest(preview_session_acks.revision, excluded.revision),"
          + " project_id = excluded.project_id, acked_at = excluded.acked_at"
          + " returning revision";

  /** The outcome of an ack. */
  public sealed interface Result {}

  /** Stored; {@code revision} is the session's acked revision now (never lower than before). */
  public record Stored(long revision) implements Result {}

  /** The project does not exist. */
  public record NoSuchProject() implements Result {}

  /** The acked revision is newer than the project's current revision. */
  public record BeyondProject(long projectRevision) implements Result {}

  private final DataSource dataSource;

  /** Writes through {@code dataSource} (the least-privilege {@code preview_operator} pool). */
  public AckWriter(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records that session {@code sessionUid} applied {@code revision} of {@code projectId}. */
  public Result record(String sessionUid, UUID projectId, long revision) throws SQLException {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative");
    }
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        ps.setString(1, sessionUid);
        ps.setLong(2, revision);
        ps.setObject(3, projectId);
        ps.setLong(4, revision);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return new Stored(rs.getLong(1));
          }
        }
      }
      OptionalLong current = ChangeLog.projectRevision(c, projectId);
      return current.isPresent() ? new BeyondProject(current.getAsLong()) : new NoSuchProject();
    }
  }
}
