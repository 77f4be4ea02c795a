package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.snapshot.SnapshotException.Reason;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads a project's files at one revision: one read-only REPEATABLE READ transaction reads {@code
 * projects.revision} and then streams {@code list_current_files} through a cursor, a few rows at a
 * time, so the project is never in memory whole.
 */
final class ProjectReader {
  private static final String REVISION = "select revision from public.projects where id = ?";
  private static final String FILES =
      "select file_path, content, content_hash, version from public.list_current_files(?)";

  /** What to do with the files at a revision. */
  interface Visitor {
    /**
     * Called first with the revision the transaction sees; returning false ends the read (the
     * snapshot of that revision already exists).
     */
    boolean begin(long revision) throws IOException;

    /** Called for each current file, in path order. */
    void file(FileRow row) throws IOException;
  }

  private final DataSource dataSource;
  private final int fetchSize;

  ProjectReader(DataSource dataSource, int fetchSize) {
    this.dataSource = dataSource;
    this.fetchSize = fetchSize;
  }

  /** The project's current revision (outside any transaction: a cheap check for reuse). */
  long currentRevision(UUID projectId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(REVISION)) {
      st.setObject(1, projectId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw notFound(projectId);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate(projectId, "reading the revision", e);
    }
  }

  /** Reads the revision and the files in one snapshot-consistent transaction. */
  void read(UUID projectId, Visitor visitor) throws IOException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        readInTransaction(c, projectId, visitor);
      } finally {
        // read-only: nothing to keep; rollback also closes the cursor's portal
        c.rollback();
        c.setReadOnly(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate(projectId, "reading the files", e);
    }
  }

  private void readInTransaction(Connection c, UUID projectId, Visitor visitor)
      throws SQLException, IOException {
    long revision;
    try (PreparedStatement st = c.prepareStatement(REVISION)) {
      st.setObject(1, projectId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw notFound(projectId);
        }
        revision = rs.getLong(1);
      }
    }
    if (!visitor.begin(revision)) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(FILES)) {
      st.setFetchSize(fetchSize);
      st.setObject(1, projectId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          // getBytes on a text column hands over the UTF-8 bytes as received: no String copy
          visitor.file(new FileRow(rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getInt(4)));
        }
      }
    }
  }

  private static SnapshotException notFound(UUID projectId) {
    return new SnapshotException(
        Reason.PROJECT_NOT_FOUND, "project " + projectId + " does not exist", null);
  }
}
