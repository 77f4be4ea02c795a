package dev.velocity.preview.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.velocity.preview.operator.config.OperatorConfig;
import dev.velocity.preview.operator.config.Role;
import dev.velocity.preview.operator.realtime.GatewayMetrics;
import dev.velocity.preview.operator.realtime.GatewayServer;
import dev.velocity.preview.operator.realtime.ServiceSnapshotProvider.ServiceSnapshot;
import dev.velocity.preview.operator.reconciler.BuilderSnapshotSource;
import dev.velocity.preview.operator.reconciler.JdbcSessionActivitySource;
import dev.velocity.preview.operator.reconciler.KubernetesSessionRegistry;
import dev.velocity.preview.operator.reconciler.MintedSessionCredentials;
import dev.velocity.preview.operator.reconciler.SessionOperator;
import dev.velocity.preview.operator.reconciler.SessionOperatorParts;
import dev.velocity.preview.operator.reconciler.SessionOperatorSettings;
import dev.velocity.preview.operator.reconciler.SessionPodSettings;
import dev.velocity.preview.operator.reconciler.SnapshotCollection;
import dev.velocity.preview.operator.snapshot.Snapshot;
import dev.velocity.preview.operator.snapshot.SnapshotBuilder;
import dev.velocity.preview.operator.snapshot.SnapshotMetrics;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageException;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMetrics;
import dev.velocity.preview.operator.token.TokenMinter;
import dev.velocity.preview.operator.token.TokenVerifier;
import dev.velocity.preview.protocol.SnapshotManifest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator process, wired from an {@link OperatorConfig}: the database pool, object
 * store, snapshot builder, token keys, the realtime gateway and the session controller, snapshot GC
 * and the metrics port. {@link Main} runs it; the local stack runs it in-process against the mock
 * API server. {@link #close()} stops everything in reverse order.
 */
public final class OperatorApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OperatorApp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the process is embedded.
   *
   * @param clock the clock of sessions and tokens
   * @param exitOnLostLease whether losing the leader Lease ends the JVM (production) or only stops
   *     this operator (in-process use)
   * @param registry where metrics go
   */
  public record Options(Clock clock, boolean exitOnLostLease, PrometheusRegistry registry) {

    /** A process of its own. */
    public static Options standalone() {
      return new Options(Clock.systemUTC(), true, new PrometheusRegistry());
    }

    /** Embedded in another program (the local stack, tests). */
    public static Options embedded() {
      return new Options(Clock.systemUTC(), false, new PrometheusRegistry());
    }
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private GatewayServer gateway;
  private SessionOperator sessions;
  private MetricsServer metricsServer;

  private OperatorApp() {}

  /** Starts {@code role}'s parts with {@code client}; on a failure, stops what had started. */
  public static OperatorApp start(
      OperatorConfig config, Role role, KubernetesClient client, Options options) {
    OperatorApp app = new OperatorApp();
    try {
      app.startParts(config, role, client, options);
      return app;
    } catch (RuntimeException | IOException | InterruptedException e) {
      app.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException r
          ? r
          : new IllegalStateException("could not start: " + e.getMessage(), e);
    }
  }

  private void startParts(
      OperatorConfig config, Role role, KubernetesClient client, Options options)
      throws IOException, InterruptedException {
    PrometheusRegistry registry = options.registry();
    JvmMetrics.builder().register(registry);
    HikariDataSource pool = pool(config);
    started.push(pool);
    ObjectStore store = new ObjectStore(config.storage());
    started.push(store);
    checkBucket(store);
    SnapshotBuilder snapshots =
        new SnapshotBuilder(pool, store, config.snapshot(), SnapshotMetrics.of(registry));
    started.push(snapshots);
    // only a process that mints reads (or generates) a private key: a gateway verifies
    TokenKeys keys =
        role.runsOperator() ? TokenKeys.load(config.token()) : TokenKeys.verifyOnly(config.token());

    if (role.runsGateway()) {
      KubernetesSessionRegistry liveSessions =
          new KubernetesSessionRegistry(client, config.watchNamespaces());
      started.push(liveSessions);
      gateway =
          GatewayServer.builder(
                  config.gateway(),
                  pool,
                  new TokenVerifier(
                      config.token(), keys, options.clock(), TokenMetrics.of(registry)))
              .sessions(liveSessions)
              .snapshots(snapshots::locate)
              .serviceSnapshots(projectId -> serviceSnapshot(snapshots, store, projectId))
              .metrics(new GatewayMetrics(registry))
              .build();
      gateway.start();
      started.push(gateway);
      log.info("gateway listening on port {}", gateway.port());
    }

    if (role.runsOperator()) {
      TokenMinter minter =
          new TokenMinter(config.token(), keys, options.clock(), TokenMetrics.of(registry));
      var parts =
          new SessionOperatorParts(
              new BuilderSnapshotSource(snapshots),
              new MintedSessionCredentials(minter, store, config.snapshot().urlTtl()),
              new JdbcSessionActivitySource(pool),
              new SessionPodSettings(
                  config.agentImage().orElseThrow(),
                  config.gatewayPublicUrl().orElseThrow().toString(),
                  SessionPodSettings.DEFAULT_UID),
              registry,
              options.clock());
      sessions =
          SessionOperator.start(
              client,
              parts,
              new SessionOperatorSettings(
                  config.watchNamespaces(),
                  config.leaseNamespace(),
                  config.identity(),
                  options.exitOnLostLease(),
                  config.sessionResync(),
                  config.reconcileThreads()));
      started.push(sessions);
      scheduleGarbageCollection(config, client, snapshots);
    }

    metricsServer = MetricsServer.start(config.metricsPort(), registry, this::isReady);
    started.push(metricsServer);
    log.info("started role {} (metrics on port {})", role, metricsServer.port());
  }

  private void scheduleGarbageCollection(
      OperatorConfig config, KubernetesClient client, SnapshotBuilder snapshots) {
    if (config.snapshotGcInterval().isZero()) {
      return;
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "snapshot-gc");
              t.setDaemon(true);
              return t;
            });
    long period = config.snapshotGcInterval().toSeconds();
    scheduler.scheduleWithFixedDelay(
        new SnapshotCollection(
            client,
            config.watchNamespaces(),
            snapshots::collectGarbage,
            config.snapshot().retention(),
            sessions::isLeader),
        period,
        period,
        TimeUnit.SECONDS);
    started.push(scheduler::shutdownNow);
  }

  private static HikariDataSource pool(OperatorConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("preview-operator");
    hikari.setJdbcUrl(config.database().url());
    hikari.setUsername(config.database().user());
    hikari.setPassword(config.database().password());
    hikari.setMaximumPoolSize(config.database().poolSize());
    hikari.setMinimumIdle(Math.min(2, config.database().poolSize()));
    hikari.setConnectionTimeout(config.database().connectTimeout().toMillis());
    hikari.setValidationTimeout(Math.min(config.database().connectTimeout().toMillis(), 5_000));
    // start without the database: sessions report DatabaseUnavailable and recover when it is back
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  private static void checkBucket(ObjectStore store) {
    try {
      store.ensureBucket();
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.UNAVAILABLE) {
        log.warn("object storage unreachable at start, continuing: {}", e.getMessage());
        return;
      }
      throw new IllegalArgumentException("S3_BUCKET: " + e.getMessage(), e);
    }
  }

  private static ServiceSnapshot serviceSnapshot(
      SnapshotBuilder snapshots, ObjectStore store, UUID projectId) {
    Snapshot snapshot = snapshots.ensure(projectId);
    try (InputStream in = store.get(snapshot.manifestKey())) {
      return new ServiceSnapshot(
          snapshots.presign(snapshot), JSON.readValue(in, SnapshotManifest.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + snapshot.manifestKey(), e);
    }
  }

  /** Whether every part of this process is ready for work. */
  public boolean isReady() {
    boolean gatewayReady = gateway == null || gateway.isReady();
    boolean operatorReady = sessions == null || sessions.isHealthy();
    return gatewayReady && operatorReady;
  }

  /** The gateway's port, when this process runs the gateway. */
  public Optional<Integer> gatewayPort() {
    return Optional.ofNullable(gateway).map(GatewayServer::port);
  }

  /** The metrics port. */
  public int metricsPort() {
    return metricsServer.port();
  }

  /** Whether this replica is the leader (always true without leader election or operator). */
  public boolean isLeader() {
    return sessions == null || sessions.isLeader();
  }

  /** Stops every part, newest first; the first failure is logged, the rest still stop. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
