package dev.velocity.preview.operator.realtime;

import dev.velocity.preview.operator.realtime.feed.ChangeLog;
import dev.velocity.preview.operator.realtime.feed.DatabaseListener;
import dev.velocity.preview.operator.realtime.feed.ProjectFeeds;
import dev.velocity.preview.operator.realtime.http.GatewayChannels;
import dev.velocity.preview.operator.realtime.http.GatewayContext;
import dev.velocity.preview.operator.token.TokenVerifier;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime gateway (DESIGN.md §6): a Netty HTTP server streaming each project's change log to
 * preview agents as server-sent events, plus acks, snapshots, health and metrics. Stateless: any
 * replica serves any agent. It runs inside the operator process or alone ({@code --role=gateway}).
 *
 * <pre>{@code
 * GatewayServer gateway = GatewayServer.builder(config, dataSource, verifier)
 *     .sessions(registry).snapshots(provider).build();
 * gateway.start();
 * }</pre>
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final GatewayConfig config;
  private final DataSource dataSource;
  private final TokenVerifier verifier;
  private final SessionRegistry sessions;
  private final Optional<SnapshotProvider> snapshots;
  private final Optional<ServiceSnapshotProvider> serviceSnapshots;
  private final GatewayMetrics metrics;

  private EventLoopGroup group;
  private ExecutorService database;
  private ExecutorService feedReaders;
  private ExecutorService snapshotWork;
  private ScheduledExecutorService scheduler;
  private DatabaseListener listener;
  private GatewayChannels channels;
  private Channel serverChannel;
  private volatile String transport;

  private GatewayServer(Builder b) {
    this.config = b.config;
    this.dataSource = b.dataSource;
    this.verifier = b.verifier;
    this.sessions = b.sessions;
    this.snapshots = Optional.ofNullable(b.snapshots);
    this.serviceSnapshots = Optional.ofNullable(b.serviceSnapshots);
    this.metrics = b.metrics;
  }

  /**
   * A builder for a gateway reading through {@code dataSource} (a pool whose login role is a member
   * of {@code preview_operator}; the gateway holds one of its connections for LISTEN) and checking
   * session tokens with {@code verifier}.
   */
  public static Builder builder(
      GatewayConfig config, DataSource dataSource, TokenVerifier verifier) {
    return new Builder(config, dataSource, verifier);
  }

  /** Starts listening to the database and binds the HTTP port. */
  public synchronized void start() throws InterruptedException {
    if (group != null) {
      throw new IllegalStateException("the gateway is already started");
    }
    LOG.info("starting realtime gateway with {}", config.describe());
    // before any thread starts: an unavailable required transport must leave nothing running
    IoTransport io = IoTransport.choose(config.transport());
    transport = io.name();
    database = Executors.newFixedThreadPool(config.databaseThreads(), daemon("gateway-db"));
    feedReaders = Executors.newFixedThreadPool(2, daemon("gateway-feed"));
    snapshotWork = Executors.newFixedThreadPool(4, daemon("gateway-snapshot"));
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("gateway-retry"));
    ChangeLog changeLog = new ChangeLog(dataSource);
    ProjectFeeds feeds =
        new ProjectFeeds(changeLog, config.replayBatch(), feedReaders, scheduler, metrics);
    listener = new DatabaseListener(dataSource, config, metrics, feeds, feedReaders);
    feeds.attach(listener);
    listener.start();
    GatewayContext context =
        new GatewayContext(
            config,
            verifier,
            sessions,
            changeLog,
            feeds,
            new AckWriter(dataSource),
            snapshots,
            serviceSnapshots,
            metrics,
            database,
            snapshotWork,
            listener::isListening);
    channels = new GatewayChannels(context);
    sessions.onRevoked(channels::revoke);
    group =
        new MultiThreadIoEventLoopGroup(
            config.ioThreads(), new DefaultThreadFactory("gateway-io", true), io.handlers());
    int high = config.streamBufferBytes();
    serverChannel =
        new ServerBootstrap()
            .group(group)
            .channel(io.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
            .childHandler(channels)
            .bind(config.port())
            .sync()
            .channel();
    LOG.info("realtime gateway listening on port {} ({} transport)", port(), transport);
  }

  /** The bound HTTP port (the real one when the config asked for {@code 0}). */
  public int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("the gateway is not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The socket transport in use once started: {@code epoll} or {@code nio}. */
  public String transport() {
    if (transport == null) {
      throw new IllegalStateException("the gateway is not started");
    }
    return transport;
  }

  /** True while the LISTEN connection is up ({@code /readyz}). */
  public boolean isReady() {
    return listener != null && listener.isListening();
  }

  /** The gateway's metrics. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Open streams of a session in this process. */
  public int openStreams(String sessionUid) {
    return channels == null ? 0 : channels.openStreams(sessionUid);
  }

  /** Ends every stream, closes the port and the LISTEN connection, and stops the threads. */
  public synchronized void stop() {
    if (group == null) {
      return;
    }
    channels.closeAll();
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    listener.close();
    scheduler.shutdownNow();
    feedReaders.shutdownNow();
    database.shutdownNow();
    snapshotWork.shutdownNow();
    group = null;
    LOG.info("realtime gateway stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    return new DefaultThreadFactory(prefix, true);
  }

  /** Builds a {@link GatewayServer}. */
  public static final class Builder {
    private final GatewayConfig config;
    private final DataSource dataSource;
    private final TokenVerifier verifier;
    private SessionRegistry sessions = new InMemorySessionRegistry();
    private SnapshotProvider snapshots;
    private ServiceSnapshotProvider serviceSnapshots;
    private GatewayMetrics metrics;

    private Builder(GatewayConfig config, DataSource dataSource, TokenVerifier verifier) {
      this.config = Objects.requireNonNull(config, "config");
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * Where revocations come from (default: an {@link InMemorySessionRegistry}, which revokes
     * nothing by itself; production passes the Kubernetes-backed one).
     */
    public Builder sessions(SessionRegistry registry) {
      this.sessions = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Serves {@code POST /v1/projects/{id}/snapshot} (404 without it). */
    public Builder snapshots(SnapshotProvider provider) {
      this.snapshots = provider;
      return this;
    }

    /**
     * Serves {@code POST /v1/snapshots} (404 without it or without {@code GATEWAY_SERVICE_TOKEN}).
     */
    public Builder serviceSnapshots(ServiceSnapshotProvider provider) {
      this.serviceSnapshots = provider;
      return this;
    }

    /** Registers metrics in {@code gatewayMetrics} (default: a registry of their own). */
    public Builder metrics(GatewayMetrics gatewayMetrics) {
      this.metrics = gatewayMetrics;
      return this;
    }

    /** The server, not yet started. */
    public GatewayServer build() {
      if (metrics == null) {
        metrics = new GatewayMetrics();
      }
      return new GatewayServer(this);
    }
  }
}
