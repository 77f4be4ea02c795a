package dev.velocity.preview.operator.realtime.feed;

import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.EventType;
import dev.velocity.preview.protocol.FileChange;
import dev.velocity.preview.protocol.ProjectEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads a project's replayable change log through {@code project_changes_since} (DESIGN.md §3) and
 * turns each revision into one {@link ChangeEvent}. Blocking; never call it on a network thread.
 */
public final class ChangeLog {
  private static final String REVISION_SQL = "select revision from projects where id = ?";
  private static final String CHANGES_SQL =
      "select revision, event_type, file_path, file_type, content, content_hash, version,"
          + " is_deleted, created_at from project_changes_since(?, ?, ?)";

  private final DataSource dataSource;

  /** Reads through {@code dataSource} (a pool of the least-privilege {@code preview_operator}). */
  public ChangeLog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The project's current revision, or empty when there is no such project. */
  public OptionalLong projectRevision(UUID projectId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return projectRevision(c, projectId);
    }
  }

  /** {@link #projectRevision(UUID)} on a connection the caller holds. */
  public static OptionalLong projectRevision(Connection c, UUID projectId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REVISION_SQL)) {
      ps.setObject(1, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /**
   * The events after {@code sinceRevision}, in revision order, at most {@code maxRevisions} of them
   * (a {@code bulk:apply} revision is one event, however many files it holds).
   */
  public List<ChangeEvent> changesSince(UUID projectId, long sinceRevision, int maxRevisions)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return changesSince(c, projectId, sinceRevision, maxRevisions);
    }
  }

  /** {@link #changesSince(UUID, long, int)} on a connection the caller holds. */
  public static List<ChangeEvent> changesSince(
      Connection c, UUID projectId, long sinceRevision, int maxRevisions) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CHANGES_SQL)) {
      ps.setObject(1, projectId);
      ps.setLong(2, sinceRevision);
      ps.setInt(3, maxRevisions);
      try (ResultSet rs = ps.executeQuery()) {
        return readEvents(projectId.toString(), rs);
      }
    }
  }

  private static List<ChangeEvent> readEvents(String projectId, ResultSet rs) throws SQLException {
    List<ChangeEvent> events = new ArrayList<>();
    List<Row> revision = new ArrayList<>();
    while (rs.next()) {
      Row row = Row.read(rs);
      if (!revision.isEmpty() && revision.get(0).revision() != row.revision()) {
        events.add(encode(projectId, revision));
        revision.clear();
      }
      revision.add(row);
    }
    if (!revision.isEmpty()) {
      events.add(encode(projectId, revision));
    }
    return events;
  }

  private static ChangeEvent encode(String projectId, List<Row> rows) {
    Row first = rows.get(0);
    String timestamp = first.createdAt().toInstant().toString();
    ProjectEvent event;
    if (EventType.BULK_APPLY.equals(first.eventType())) {
      List<FileChange> files = new ArrayList<>(rows.size());
      for (Row r : rows) {
        files.add(
            r.deleted()
                ? new FileChange(
                    FileChange.DELETE, r.filePath(), r.fileType(), null, null, r.version())
                : new FileChange(
                    FileChange.UPSERT,
                    r.filePath(),
                    r.fileType(),
                    r.content(),
                    r.contentHash(),
                    r.version()));
      }
      event = ProjectEvent.bulk(projectId, first.revision(), files, timestamp);
    } else if (EventType.FILE_DELETE.equals(first.eventType())) {
      event =
          ProjectEvent.delete(
              projectId, first.revision(), first.filePath(), first.version(), timestamp);
    } else {
      event =
          new ProjectEvent(
              first.eventType(),
              projectId,
              first.revision(),
              first.filePath(),
              first.fileType(),
              first.content(),
              first.contentHash(),
              first.version(),
              null,
              timestamp);
    }
    return new ChangeEvent(
        first.revision(),
        first.eventType(),
        SseFrames.event(first.revision(), first.eventType(), EventJson.write(event)),
        epochMicros(first.createdAt()));
  }

  /** {@code timestamptz} keeps microseconds; {@link Timestamp#getTime()} would drop them. */
  static long epochMicros(Timestamp t) {
    return Math.floorDiv(t.getTime(), 1000) * 1_000_000 + t.getNanos() / 1000;
  }

  private record Row(
      long revision,
      String eventType,
      String filePath,
      String fileType,
      String content,
      String contentHash,
      int version,
      boolean deleted,
      Timestamp createdAt) {

    static Row read(ResultSet rs) throws SQLException {
      return new Row(
          rs.getLong("revision"),
          rs.getString("event_type"),
          rs.getString("file_path"),
          rs.getString("file_type"),
          rs.getString("content"),
          rs.getString("content_hash"),
          rs.getInt("version"),
          rs.getBoolean("is_deleted"),
          rs.getTimestamp("created_at"));
    }
  }
}
