package dev.velocity.preview.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

  @Test
  void sharedServerIsOneServer() {
    assertThat(EmbeddedPostgresServer.shared()).isSameAs(EmbeddedPostgresServer.shared());
    assertThat(EmbeddedPostgresServer.shared().port()).isPositive();
  }

  @Test
  void persistentServerKeepsItsDataAcrossRestarts(@TempDir Path dir) throws SQLException {
    Path data = dir.resolve("pgdata");
    try (EmbeddedPostgresServer first =
        EmbeddedPostgresServer.start(EmbeddedPostgresServer.Options.persistent(0, data))) {
      exec(first, "create table kept(x int)", "insert into kept values (7)");
    }
    assertThat(Files.exists(data.resolve("PG_VERSION"))).isTrue();
    try (EmbeddedPostgresServer second =
            EmbeddedPostgresServer.start(EmbeddedPostgresServer.Options.persistent(0, data));
        Connection c = second.superuserDataSource("postgres").getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select x from kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void badOptionsAreRejected() {
    assertThatThrownBy(() -> new EmbeddedPostgresServer.Options(70000, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535, got 70000");
  }

  private static void exec(EmbeddedPostgresServer server, String... sql) throws SQLException {
    try (Connection c = server.superuserDataSource("postgres").getConnection();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }
}
