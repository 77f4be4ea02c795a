package dev.velocity.preview.operator.realtime.feed;

import com.zaxxer.hikari.HikariDataSource;
import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.realtime.GatewayMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process's one LISTEN connection (DESIGN.md §6): a daemon thread that LISTENs on
 * {@code realtime:project:<uuid>} for every project with open streams, turns notifications into
 * {@link Doorbell#ring} calls, heartbeats the connection with {@code SELECT 1} so a silent loss is
 * seen within seconds, and reconnects with back-off, re-LISTENs and asks for a catch-up.
 *
 * <p>The notification payload is only a doorbell; events are always read from the table, so a
 * notification lost while disconnected costs latency, never data. A lone single-file notification
 * may be read on this connection by the doorbell itself (the shortest path from commit to send).
 */
public final class DatabaseListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseListener.class);
  private static final String CHANNEL_PREFIX = "realtime:project:";
  private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*(\\d+)");
  private static final String WAKE_PREFIX = "realtime:gateway:";
  private static final long MAX_POLL_MILLIS = 500;

  /** The {@code application_name} of the LISTEN connection, to find it in pg_stat_activity. */
  public static final String APPLICATION_NAME = "preview-gateway-listen";

  private static final long FIRST_BACKOFF_MILLIS = 50;

  /** Receives what the LISTEN connection hears. Called on the listener thread; must not block. */
  public interface Doorbell {
    /**
     * A change reached {@code revision} (or later) in {@code projectId}. {@code connection}, when
     * not null, is the LISTEN connection, idle until this call returns: the doorbell may read the
     * change on it right here instead of handing the read to another thread.
     */
    void ring(UUID projectId, long revision, Connection connection);

    /** The connection came back after a loss: every project may have missed notifications. */
    void reconnected();
  }

  private sealed interface Command permits Listen, Unlisten {}

  private record Listen(UUID projectId, CompletableFuture<Long> revision) implements Command {}

  private record Unlisten(UUID projectId) implements Command {}

  private final DataSource dataSource;
  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  private final Doorbell doorbell;
  private final Executor waker;
  private final String wakeChannel = WAKE_PREFIX + UUID.randomUUID();
  private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
  private final Set<UUID> desired = new HashSet<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean connected;
  private boolean trimWarned;

  /**
   * A listener reading through {@code dataSource}; {@link #start()} starts its thread. {@code
   * waker} runs the short NOTIFY that wakes the listener when a LISTEN or UNLISTEN is queued (it
   * blocks on the database, so not an event loop).
   */
  public DatabaseListener(
      DataSource dataSource,
      GatewayConfig config,
      GatewayMetrics metrics,
      Doorbell doorbell,
      Executor waker) {
    this.dataSource = dataSource;
    this.config = config;
    this.metrics = metrics;
    this.doorbell = doorbell;
    this.waker = waker;
    this.thread = new Thread(this::run, "gateway-listen");
    this.thread.setDaemon(true);
  }

  /** Starts the listener thread. */
  public void start() {
    thread.start();
  }

  /** True while the LISTEN connection is up (readiness). */
  public boolean isListening() {
    return connected;
  }

  /**
   * LISTENs for {@code projectId}. The future completes, once the LISTEN is in effect, with the
   * project's revision read after it (or {@code 0} when the project does not exist): every later
   * change rings the doorbell.
   */
  public CompletableFuture<Long> listen(UUID projectId) {
    CompletableFuture<Long> revision = new CompletableFuture<>();
    commands.add(new Listen(projectId, revision));
    wake();
    return revision;
  }

  /** Stops listening for {@code projectId}. */
  public void unlisten(UUID projectId) {
    commands.add(new Unlisten(projectId));
    wake();
  }

  /**
   * The listener thread blocks in {@code getNotifications} for up to half a second (a short poll
   * cost ~1 % of a core doing nothing); a NOTIFY on its private channel ends the wait so a queued
   * command applies at once. If the NOTIFY fails, the command applies at the next poll.
   */
  private void wake() {
    if (!connected) {
      return;
    }
    try {
      waker.execute(
          () -> {
            try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select pg_notify(?, '')")) {
              ps.setString(1, wakeChannel);
              ps.execute();
            } catch (SQLException e) {
              LOG.debug("waking the LISTEN thread failed ({}); it polls", e.getMessage());
            }
          });
    } catch (RejectedExecutionException stopping) {
      // the gateway is stopping
    }
  }

  /**
   * Stops the thread, which closes the connection itself (a JDBC connection is not closed from a
   * second thread while the first may be reading from it).
   */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Command c;
    while ((c = commands.poll()) != null) {
      if (c instanceof Listen l) {
        l.revision().cancel(false);
      }
    }
  }

  private void run() {
    long backoff = FIRST_BACKOFF_MILLIS;
    boolean everConnected = false;
    while (running) {
      Connection c = null;
      try {
        c = dataSource.getConnection();
        c.setAutoCommit(true);
        c.setNetworkTimeout(Runnable::run, (int) config.databaseTimeout().toMillis());
        execute(c, "SET application_name = '" + APPLICATION_NAME + "'");
        if (!NotificationWait.trim(c) && !trimWarned) {
          trimWarned = true;
          LOG.info("this PostgreSQL driver pauses ~1 ms after each notification (no trim)");
        }
        execute(c, "LISTEN \"" + wakeChannel + "\"");
        for (UUID projectId : desired) {
          execute(c, "LISTEN " + channel(projectId));
        }
        connected = true;
        metrics.listening(true);
        backoff = FIRST_BACKOFF_MILLIS;
        if (everConnected) {
          metrics.dbReconnected();
          LOG.info("LISTEN connection re-established; catching up {} projects", desired.size());
          doorbell.reconnected();
        } else {
          LOG.info("LISTEN connection established");
        }
        everConnected = true;
        serve(c);
      } catch (SQLException | RuntimeException e) {
        if (running) {
          LOG.warn("LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff);
        }
      } finally {
        connected = false;
        metrics.listening(false);
        discard(c);
      }
      if (running) {
        sleep(backoff);
        backoff = Math.min(backoff * 2, config.reconnectBackoffMax().toMillis());
      }
    }
  }

  private void serve(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long heartbeatNanos = config.heartbeatInterval().toNanos();
    int pollMillis = (int) Math.min(config.heartbeatInterval().toMillis(), MAX_POLL_MILLIS);
    long nextHeartbeat = System.nanoTime() + heartbeatNanos;
    while (running) {
      Command command;
      while ((command = commands.peek()) != null) {
        apply(c, command);
        commands.poll();
      }
      PGNotification[] notifications = pg.getNotifications(pollMillis);
      if (notifications != null) {
        // a burst (a reconnect, a busy database) is handed to the readers; a lone change is read
        // here, on this connection, saving a thread hop and a pool checkout
        Connection inline = notifications.length == 1 ? c : null;
        for (PGNotification n : notifications) {
          dispatch(n, inline);
        }
      }
      if (System.nanoTime() - nextHeartbeat >= 0) {
        execute(c, "SELECT 1");
        nextHeartbeat = System.nanoTime() + heartbeatNanos;
      }
    }
  }

  private void apply(Connection c, Command command) throws SQLException {
    if (command instanceof Listen l) {
      execute(c, "LISTEN " + channel(l.projectId()));
      desired.add(l.projectId());
      metrics.projectsListened(desired.size());
      OptionalLong revision = ChangeLog.projectRevision(c, l.projectId());
      l.revision().complete(revision.orElse(0));
    } else if (command instanceof Unlisten u) {
      desired.remove(u.projectId());
      metrics.projectsListened(desired.size());
      execute(c, "UNLISTEN " + channel(u.projectId()));
    }
  }

  private void dispatch(PGNotification n, Connection inline) {
    String name = n.getName();
    if (!name.startsWith(CHANNEL_PREFIX)) {
      return;
    }
    UUID projectId;
    try {
      projectId = UUID.fromString(name.substring(CHANNEL_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return;
    }
    String payload = n.getParameter() == null ? "" : n.getParameter();
    Matcher m = REVISION.matcher(payload);
    long revision = m.find() ? parseOrMax(m.group(1)) : Long.MAX_VALUE;
    metrics.trace().notified(projectId, revision, System.nanoTime());
    // a bulk revision can hold thousands of files: read it off this thread
    boolean small = payload.contains("\"file:");
    doorbell.ring(projectId, revision, small ? inline : null);
  }

  private static long parseOrMax(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The quoted channel identifier of a project (a UUID's text needs no escaping). */
  static String channel(UUID projectId) {
    return "\"" + CHANNEL_PREFIX + projectId + "\"";
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Takes the connection out of the pool for good: it may be broken in a way the pool never saw
   * (the failure surfaced through the unwrapped {@code PGConnection}), and a healthy one still
   * carries LISTENs and its application name.
   */
  private void discard(Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (dataSource instanceof HikariDataSource hikari) {
        hikari.evictConnection(c);
      } else {
        c.abort(Runnable::run);
      }
    } catch (SQLException | RuntimeException ignored) {
      // the connection is being thrown away; nothing to recover
    }
  }
}
