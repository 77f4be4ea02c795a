package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK operator running the {@link PreviewSessionReconciler}: non-SSA status and dependents
 * (so it works on every API server, including the mock one), retries with exponential backoff,
 * optional leader election on a Lease, graceful stop.
 */
public final class SessionOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionOperator.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Operator operator;
  private final SessionEventRecorder events;
  private final AtomicBoolean leader = new AtomicBoolean();

  private SessionOperator(
      KubernetesClient client, SessionOperatorParts parts, SessionOperatorSettings settings) {
    SessionMetrics sessionMetrics = new SessionMetrics(parts.metrics());
    var factory =
        new SessionDependentFactory(
            Map.of(
                SnapshotDependentResource.class,
                () -> new SnapshotDependentResource(parts.snapshots(), sessionMetrics),
                SessionSecretDependentResource.class,
                () -> new SessionSecretDependentResource(parts.credentials(), parts.clock()),
                SessionPodDependentResource.class,
                () ->
                    new SessionPodDependentResource(
                        new SessionPodBuilder(parts.podSettings()), sessionMetrics),
                SessionServiceDependentResource.class,
                SessionServiceDependentResource::new));
    var operatorMetrics = new PrometheusOperatorMetrics(parts.metrics());
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withDependentResourceFactory(factory)
                  .withMetrics(operatorMetrics)
                  .withConcurrentReconciliationThreads(settings.reconcileThreads())
                  .withReconciliationTerminationTimeout(STOP_TIMEOUT);
              settings
                  .leaseNamespace()
                  .ifPresentOrElse(
                      namespace ->
                          o.withLeaderElectionConfiguration(leaderElection(namespace, settings)),
                      () -> leader.set(true));
            });
    this.events =
        new SessionEventRecorder(client, parts.clock(), settings.identity(), sessionMetrics);
    var reconciler =
        new PreviewSessionReconciler(
            parts.activity(), events, sessionMetrics, parts.clock(), settings.resync());
    operator.register(
        reconciler,
        o -> {
          o.withRetry(
              new GenericRetry()
                  .setInitialInterval(Duration.ofSeconds(1).toMillis())
                  .setIntervalMultiplier(2)
                  .setMaxInterval(Duration.ofMinutes(2).toMillis())
                  .withoutMaxAttempts());
          if (settings.namespaces().isEmpty()) {
            o.watchingAllNamespaces();
          } else {
            o.settingNamespaces(settings.namespaces());
          }
        });
  }

  private LeaderElectionConfiguration leaderElection(
      String namespace, SessionOperatorSettings settings) {
    return new LeaderElectionConfiguration(
        SessionOperatorSettings.LEASE_NAME,
        namespace,
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        settings.identity(),
        new LeaderCallbacks(
            () -> {
              leader.set(true);
              log.info("leading as {}", settings.identity());
            },
            () -> {
              leader.set(false);
              log.warn("lost the leader lease");
            },
            newLeader -> log.info("leader is {}", newLeader)),
        settings.exitOnLostLease());
  }

  /** Starts the controller (and, with leader election, campaigns for the Lease). */
  public static SessionOperator start(
      KubernetesClient client, SessionOperatorParts parts, SessionOperatorSettings settings) {
    SessionOperator sessionOperator = new SessionOperator(client, parts, settings);
    sessionOperator.operator.start();
    return sessionOperator;
  }

  /** Whether this replica reconciles (always true without leader election). */
  public boolean isLeader() {
    return leader.get();
  }

  /** Whether the controller runs and every informer is connected. */
  public boolean isHealthy() {
    var runtime = operator.getRuntimeInfo();
    return runtime.isStarted() && runtime.allEventSourcesAreHealthy();
  }

  /** Stops reconciling, waiting for running reconciliations to finish. */
  @Override
  public void close() {
    operator.stop();
    events.close();
  }
}
