package dev.velocity.preview.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Loads a generated project through {@code bulk_upsert_project_files}, in batches. */
final class BenchProject {
  private static final ObjectMapper JSON = new ObjectMapper();

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
   * Writes {@code files} files of about {@code totalBytes / files} bytes each; returns the bytes
   * written.
   */
  static long load(DataSource superuser, UUID project, int files, long totalBytes, long seed)
      throws Exception {
    SourceTextGenerator generator = new SourceTextGenerator(seed);
    int fileBytes = (int) (totalBytes / files);
    long written = 0;
    List<Map<String, Object>> batch = new ArrayList<>();
    long batchBytes = 0;
    for (int i = 0; i < files; i++) {
      String content = generator.module(fileBytes);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("file_path", String.format("src/dir%03d/module%05d.ts", i % 200, i));
      item.put("file_type", "typescript");
      item.put("content", content);
      batch.add(item);
      batchBytes += content.length();
      written += content.length();
      if (batchBytes >= 8 << 20 || i == files - 1) {
        try (Connection c = superuser.getConnection();
            PreparedStatement ps =
                c.prepareStatement("select count(*) from bulk_upsert_project_files(?, ?::jsonb)")) {
          ps.setObject(1, project);
          ps.setString(2, JSON.writeValueAsString(batch));
          ps.executeQuery().close();
        }
        batch.clear();
        batchBytes = 0;
      }
    }
    return written;
  }
}
