package dev.velocity.preview.operator.realtime.feed;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;

/**
 * Removes the pause pgjdbc (42.7) makes after every notification it receives.
 *
 * <p>{@code getNotifications(timeout)} reads until one notification has arrived and then asks
 * {@code PGStream.hasMessagePending()} whether more are queued; that question is a socket read with
 * a 1 ms timeout, so every notification is handed over ~1.1–1.4 ms after it arrived (measured with
 * {@code NotifyLatencyBench}: COMMIT → notification returned p50 1.6 ms, against 0.25 ms for the
 * writer's own commit reply). pgjdbc skips that read while {@code nextStreamAvailableCheckTime}
 * lies in the future and then answers from the bytes already received (its buffer plus the socket's
 * {@code available()}), which is all a listener needs: a notification arriving a moment later is
 * returned by the next call. There is no public setting for it, hence the field write.
 *
 * <p>Only for the gateway's LISTEN connection, which is never returned to the pool.
 */
public final class NotificationWait {
  private NotificationWait() {}

  /**
   * Makes {@code getNotifications} on {@code c} return as soon as the received notifications are
   * read; false (and {@code c} unchanged) where the driver's internals differ from 42.7's.
   */
  public static boolean trim(Connection c) {
    try {
      Object executor = c.unwrap(BaseConnection.class).getQueryExecutor();
      Field streamField = QueryExecutorBase.class.getDeclaredField("pgStream");
      streamField.setAccessible(true);
      PGStream stream = (PGStream) streamField.get(executor);
      Field next = PGStream.class.getDeclaredField("nextStreamAvailableCheckTime");
      next.setAccessible(true);
      next.setLong(stream, Long.MAX_VALUE);
      return true;
    } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
      return false;
    }
  }
}
