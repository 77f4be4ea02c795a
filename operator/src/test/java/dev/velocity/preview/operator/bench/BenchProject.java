package dev.velocity.preview.operator.bench;

import dev.velocity.preview.protocol.ContentHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import javax.sql.DataSource;

/** Creates a project and loads generated source files into it (benchmark and test data). */
final class BenchProject {
  private BenchProject() {}

  /** Creates an owner and a project and returns the project id. */
  static UUID create(DataSource superuser) throws Exception {
    UUID owner = UUID.randomUUID();
    UUID project = UUID.randomUUID();
    try (Connection c = superuser.getConnection()) {
      c.createStatement().execute("update preview_private.settings set rate_limit_writes = 0");
      try (PreparedStatement ps = c.prepareStatement("insert into user_profiles(id) values (?)")) {
        ps.setObject(1, owner);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement("insert into projects(id, owner_id, name) values (?, ?, 'bench')")) {
        ps.setObject(1, project);
        ps.setObject(2, owner);
        ps.executeUpdate();
      }
    }
    return project;
  }

  /**
   * Writes {@code files} files of about {@code totalBytes / files} bytes each as revision 1;
   * returns the bytes written. Test data only: the rows are inserted directly as the superuser
   * (what the RPCs would store, without the event log), which is many times faster than the RPCs.
   */
  static long load(DataSource superuser, UUID project, int files, long totalBytes, long seed)
      throws Exception {
    SourceTextGenerator generator = new SourceTextGenerator(seed);
    int fileBytes = (int) (totalBytes / files);
    long written = 0;
    try (Connection c = superuser.getConnection()) {
      c.setAutoCommit(false);
      UUID owner;
      try (PreparedStatement ps =
          c.prepareStatement("select owner_id from projects where id = ?")) {
        ps.setObject(1, project);
        try (var rs = ps.executeQuery()) {
          rs.next();
          owner = (UUID) rs.getObject(1);
        }
      }
      long revision;
      try (PreparedStatement ps =
          c.prepareStatement(
              "update projects set revision = revision + 1 where id = ? returning revision")) {
        ps.setObject(1, project);
        try (var rs = ps.executeQuery()) {
          rs.next();
          revision = rs.getLong(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into project_files (project_id, file_path, file_type, content,"
                  + " content_hash, size_bytes, version, created_by, revision)"
                  + " values (?, ?, 'typescript', ?, ?, ?, 1, ?, ?)")) {
        long batchBytes = 0;
        for (int i = 0; i < files; i++) {
          String content = generator.module(fileBytes);
          ps.setObject(1, project);
          ps.setString(2, String.format("src/dir%03d/module%05d.ts", i % 200, i));
          ps.setString(3, content);
          ps.setString(4, ContentHash.sha256Hex(content));
          ps.setLong(5, content.length());
          ps.setObject(6, owner);
          ps.setLong(7, revision);
          ps.addBatch();
          batchBytes += content.length();
          written += content.length();
          if (batchBytes >= 8 << 20) {
            ps.executeBatch();
            batchBytes = 0;
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
    return written;
  }
}
