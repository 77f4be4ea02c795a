package dev.velocity.preview.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageConfig;
import dev.velocity.preview.operator.storage.StorageException;
import dev.velocity.preview.testkit.EmbeddedS3;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks the chaos suite breaks the stack with: the object store paused and resumed, PostgreSQL
 * restarted. Both must come back on the same address with the same data.
 */
class FaultHooksIT {
  @TempDir Path dir;

  @Test
  void pausedObjectStoreRefusesAndResumedOneServesTheSameObjectsOnTheSamePort() throws Exception {
    try (EmbeddedS3 s3 =
            EmbeddedS3.start(
                EmbeddedS3.Options.filesystemStore(dir.resolve("s3")).withBucket("snaps"));
        ObjectStore store =
            new ObjectStore(
                StorageConfig.fromEnv(
                    Map.of(
                        "S3_ENDPOINT", s3.endpoint().toString(),
                        "S3_BUCKET", "snaps",
                        "S3_ACCESS_KEY", s3.accessKey(),
                        "S3_SECRET_KEY", s3.secretKey())))) {
      byte[] bytes = "snapshot bytes ✓".getBytes(StandardCharsets.UTF_8);
      store.put("p/1.zip", bytes, "application/zip");
      int port = s3.port();

      s3.pause();
      assertThat(s3.running()).isFalse();
      assertThatThrownBy(() -> store.exists("p/1.zip"))
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAVAILABLE));

      s3.resume();
      assertThat(s3.running()).isTrue();
      assertThat(s3.port()).isEqualTo(port);
      try (InputStream in = store.get("p/1.zip")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes);
      }
    }
  }

  @Test
  void restartedDatabaseKeepsItsDataAndPortAndThePoolsReconnect() throws Exception {
    try (LocalDatabase db = LocalDatabase.start(dir.resolve("pg"), 50)) {
      try (Connection c = db.admin().getConnection();
          Statement st = c.createStatement()) {
        st.execute("create table chaos_probe (v text)");
        st.execute("insert into chaos_probe values ('before the restart')");
      }
      int port = db.port();
      Connection held = db.admin().getConnection();

      db.restart();

      assertThat(db.port()).isEqualTo(port);
      assertThatThrownBy(() -> held.createStatement().execute("select 1"))
          .isInstanceOf(SQLException.class);
      held.close();
      try (Connection c = db.admin().getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select v from chaos_probe")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("before the restart");
      }
    }
  }
}
