package dev.velocity.preview.operator.config;

import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.snapshot.SnapshotConfig;
import dev.velocity.preview.operator.storage.StorageConfig;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the operator process is configured with, read once from the environment and validated
 * at start: each part's own record plus the operator's settings. A bad value fails with a message
 * naming the variable.
 *
 * <table>
 *   <caption>The operator's own variables (the parts document theirs)</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code AGENT_IMAGE}</td><td>required (operator)</td><td>image of the session pods'
 *       init container and sidecar</td></tr>
 *   <tr><td>{@code GATEWAY_PUBLIC_URL}</td><td>required (operator)</td><td>gateway URL as seen
 *       from session pods</td></tr>
 *   <tr><td>{@code WATCH_NAMESPACES}</td><td>empty = all</td><td>comma list of namespaces</td></tr>
 *   <tr><td>{@code LEADER_ELECTION}</td><td>true</td><td>campaign for a Lease</td></tr>
 *   <tr><td>{@code LEADER_ELECTION_NAMESPACE}</td><td>{@code POD_NAMESPACE}</td><td>namespace of
 *       the Lease</td></tr>
 *   <tr><td>{@code METRICS_PORT}</td><td>8081</td><td>/metrics, /healthz, /readyz (0: any)</td></tr>
 *   <tr><td>{@code SESSION_RESYNC_SECONDS}</td><td>30</td><td>how often a live session's sync
 *       progress and idle time are checked</td></tr>
 *   <tr><td>{@code SNAPSHOT_GC_INTERVAL_SECONDS}</td><td>3600</td><td>snapshot garbage collection
 *       period (0: off)</td></tr>
 *   <tr><td>{@code RECONCILE_THREADS}</td><td>20</td><td>concurrent reconciliations</td></tr>
 *   <tr><td>{@code POD_NAME}</td><td>host name</td><td>this replica's identity in the
 *       Lease</td></tr>
 * </table>
 *
 * @param database how to reach PostgreSQL
 * @param storage how to reach object storage
 * @param snapshot snapshot settings
 * @param token session-token settings
 * @param gateway realtime gateway settings
 * @param agentImage {@code AGENT_IMAGE}; empty only for {@code --role=gateway}
 * @param gatewayPublicUrl {@code GATEWAY_PUBLIC_URL}; empty only for {@code --role=gateway}
 * @param watchNamespaces {@code WATCH_NAMESPACES}; empty = all
 * @param leaseNamespace where the leader Lease lives; empty = no leader election
 * @param identity {@code POD_NAME} or the host name
 * @param metricsPort {@code METRICS_PORT}
 * @param sessionResync {@code SESSION_RESYNC_SECONDS}
 * @param snapshotGcInterval {@code SNAPSHOT_GC_INTERVAL_SECONDS}; zero = off
 * @param reconcileThreads {@code RECONCILE_THREADS}
 */
public record OperatorConfig(
    DatabaseConfig database,
    StorageConfig storage,
    SnapshotConfig snapshot,
    TokenConfig token,
    GatewayConfig gateway,
    Optional<String> agentImage,
    Optional<URI> gatewayPublicUrl,
    Set<String> watchNamespaces,
    Optional<String> leaseNamespace,
    String identity,
    int metricsPort,
    Duration sessionResync,
    Duration snapshotGcInterval,
    int reconcileThreads) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** Checks the fields. */
  public OperatorConfig {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(gateway, "gateway");
    watchNamespaces = Set.copyOf(watchNamespaces);
    Objects.requireNonNull(identity, "identity");
  }

  /**
   * Reads and validates the configuration for {@code role}.
   *
   * @throws IllegalArgumentException naming the variable that is missing or malformed
   */
  public static OperatorConfig fromEnv(Map<String, String> environment, Role role) {
    EnvVars env = new EnvVars(environment);
    DatabaseConfig database = DatabaseConfig.fromEnv(env);
    StorageConfig storage = StorageConfig.fromEnv(environment);
    SnapshotConfig snapshot = SnapshotConfig.fromEnv(environment);
    TokenConfig token = TokenConfig.fromEnv(environment);
    GatewayConfig gateway = GatewayConfig.fromEnv(environment);
    Optional<String> agentImage = Optional.empty();
    Optional<URI> publicUrl = Optional.empty();
    if (role.runsOperator()) {
      agentImage =
          Optional.of(
              image(env.required("AGENT_IMAGE", "the image of the session agent (hydrate, sync)")));
      publicUrl =
          Optional.of(
              env.httpUrl(
                  "GATEWAY_PUBLIC_URL", "the realtime gateway's URL as session pods reach it"));
    }
    if (!role.runsOperator() && token.publicKeysDir() == null) {
      throw new IllegalArgumentException(TokenKeys.PUBLIC_KEYS_REQUIRED);
    }
    boolean leaderElection = env.bool("LEADER_ELECTION", true);
    Optional<String> leaseNamespace = Optional.empty();
    if (role.runsOperator() && leaderElection) {
      String namespace =
          env.optional("LEADER_ELECTION_NAMESPACE")
              .or(() -> env.optional("POD_NAMESPACE"))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "LEADER_ELECTION_NAMESPACE must be set when LEADER_ELECTION=true"
                              + " (or set LEADER_ELECTION=false for a single replica)"));
      leaseNamespace = Optional.of(namespace("LEADER_ELECTION_NAMESPACE", namespace));
    }
    return new OperatorConfig(
        database,
        storage,
        snapshot,
        token,
        gateway,
        agentImage,
        publicUrl,
        namespaces(env.optional("WATCH_NAMESPACES").orElse("")),
        leaseNamespace,
        env.optional("POD_NAME").orElseGet(OperatorConfig::hostName),
        env.integer("METRICS_PORT", 8081, 0, 65535),
        env.seconds("SESSION_RESYNC_SECONDS", 30, 1, 3600),
        env.seconds("SNAPSHOT_GC_INTERVAL_SECONDS", 3600, 0, 7 * 24 * 3600),
        env.integer("RECONCILE_THREADS", 20, 1, 500));
  }

  /** Whether this replica campaigns for the leader Lease. */
  public boolean leaderElection() {
    return leaseNamespace.isPresent();
  }

  private static Set<String> namespaces(String list) {
    Set<String> namespaces = new LinkedHashSet<>();
    Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(s -> namespaces.add(namespace("WATCH_NAMESPACES", s)));
    return namespaces;
  }

  private static String namespace(String variable, String name) {
    if (!DNS_LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          variable
              + " must hold Kubernetes namespace names (lower-case DNS labels), got '"
              + name
              + "'");
    }
    return name;
  }

  private static String image(String image) {
    if (image.chars().anyMatch(Character::isWhitespace) || image.startsWith("-")) {
      throw new IllegalArgumentException(
          "AGENT_IMAGE must be an image reference, got '" + image + "'");
    }
    return image;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "preview-operator";
    }
  }
}
