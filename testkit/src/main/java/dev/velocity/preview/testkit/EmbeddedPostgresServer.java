package dev.velocity.preview.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 server run from the zonky binaries.
 *
 * <p>Tests call {@link #shared()}: one server per JVM, started on first use on a free port. The
 * local stack calls {@link #start(Options)} with a data directory so its data survives restarts.
 * Every server is stopped by {@link #close()} or, at the latest, by a JVM shutdown hook.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  /** The bootstrap superuser zonky creates. */
  public static final String SUPERUSER = "postgres";

  private static final Object LOCK = new Object();
  private static volatile EmbeddedPostgresServer shared;

  private final EmbeddedPostgres postgres;
  private Thread shutdownHook;
  private boolean stopped;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * How to start a server.
   *
   * @param port the port to bind, {@code 0} for a free one
   * @param dataDirectory where the cluster lives; {@code null} for a throw-away temp directory
   * @param serverConfig extra {@code postgresql.conf} settings
   */
  public record Options(int port, Path dataDirectory, Map<String, String> serverConfig) {

    /** Validates the options. */
    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      serverConfig = Map.copyOf(Objects.requireNonNull(serverConfig, "serverConfig"));
    }

    /** A throw-away server on a free port with settings tuned for fast tests. */
    public static Options ephemeral() {
      return new Options(0, null, fastTestSettings());
    }

    /** A durable server keeping its data in {@code dataDirectory}. */
    public static Options persistent(int port, Path dataDirectory) {
      return new Options(port, Objects.requireNonNull(dataDirectory, "dataDirectory"), Map.of());
    }
  }

  /** Returns the JVM-wide server, starting it on first use. */
  public static EmbeddedPostgresServer shared() {
    EmbeddedPostgresServer server = shared;
    if (server == null) {
      synchronized (LOCK) {
        server = shared;
        if (server == null) {
          server = start(Options.ephemeral());
          shared = server;
        }
      }
    }
    return server;
  }

  /**
   * Starts a server; the caller owns it and must {@link #close()} it.
   *
   * @throws UncheckedIOException when PostgreSQL does not start
   */
  public static EmbeddedPostgresServer start(Options options) {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setRegisterShutdownHook(false).setPort(freePortOr(options));
    if (options.dataDirectory() != null) {
      builder.setDataDirectory(options.dataDirectory()).setCleanDataDirectory(false);
    }
    options.serverConfig().forEach(builder::setServerConfig);
    try {
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
      // a JVM that exits (or is stopped with SIGTERM) must not leave a postmaster behind
      server.shutdownHook = new Thread(server::stop, "embedded-postgres-shutdown");
      Runtime.getRuntime().addShutdownHook(server.shutdownHook);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  private static int freePortOr(Options options) {
    if (options.port() != 0) {
      return options.port();
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for embedded PostgreSQL", e);
    }
  }

  /** Durability is traded for speed in tests only: a crashed test server is thrown away anyway. */
  private static Map<String, String> fastTestSettings() {
    return Map.of(
        "fsync", "off",
        "synchronous_commit", "off",
        "full_page_writes", "off",
        "max_connections", "300",
        "shared_buffers", "256MB",
        "max_wal_size", "2GB");
  }

  /** The port the server listens on (loopback). */
  public int port() {
    return postgres.getPort();
  }

  /** A JDBC URL for {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  /** A DataSource connecting as the superuser to {@code database}. */
  public DataSource superuserDataSource(String database) {
    return postgres.getDatabase(SUPERUSER, database);
  }

  /** A DataSource connecting as {@code user} with {@code password} to {@code database}. */
  public DataSource dataSource(String database, String user, String password) {
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {port()});
    ds.setDatabaseName(database);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  /** Stops the server; idempotent. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrRemoved) {
      // the hook is running or gone: nothing left to undo
    }
  }

  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
