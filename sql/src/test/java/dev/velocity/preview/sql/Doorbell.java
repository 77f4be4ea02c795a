package dev.velocity.preview.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** A LISTEN connection on one project's doorbell channel. */
final class Doorbell implements AutoCloseable {
  private final Connection connection;
  private final PGConnection pg;

  Doorbell(DataSource ds, UUID project) throws SQLException {
    connection = ds.getConnection();
    pg = connection.unwrap(PGConnection.class);
    try (Statement st = connection.createStatement()) {
      st.execute("listen \"realtime:project:" + project + "\"");
    }
  }

  /** Payloads received within {@code millis} (waits the whole time: the absence matters too). */
  List<String> drain(int millis) throws SQLException {
    List<String> payloads = new ArrayList<>();
    long end = System.currentTimeMillis() + millis;
    while (true) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return payloads;
      }
      PGNotification[] batch = pg.getNotifications((int) left);
      if (batch != null) {
        for (PGNotification n : batch) {
          payloads.add(n.getParameter());
        }
      }
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
