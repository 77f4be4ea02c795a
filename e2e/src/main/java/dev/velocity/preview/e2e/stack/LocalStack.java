package dev.velocity.preview.e2e.stack;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.e2e.cluster.MockApiServer;
import dev.velocity.preview.e2e.cluster.OwnerGarbageCollector;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.e2e.kubelet.ImageTable;
import dev.velocity.preview.e2e.kubelet.KubeletConfig;
import dev.velocity.preview.e2e.kubelet.PodLayout;
import dev.velocity.preview.e2e.kubelet.PortAllocator;
import dev.velocity.preview.e2e.kubelet.ProcessKubelet;
import dev.velocity.preview.testkit.EmbeddedS3;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine (DESIGN.md §10): embedded PostgreSQL (migrated), an in-process S3
 * server, the mock Kubernetes API server with the PreviewSession CRD and a garbage collector, the
 * real operator and realtime gateway (in this JVM, configured only through the environment
 * variables a cluster deployment uses), and the process kubelet running session pods as local
 * processes. The operator cannot tell it from a cluster.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /** The image name agent containers use; the kubelet maps it to the agent jar. */
  public static final String AGENT_IMAGE = "preview-agent:local";

  /** The bucket of snapshots. */
  public static final String BUCKET = "preview-snapshots";

  private final StackOptions options;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final PortAllocator ports = new PortAllocator();
  private LocalDatabase database;
  private EmbeddedS3 s3;
  private MockApiServer api;
  private KubernetesClient client;
  private ProcessKubelet kubelet;
  private volatile ControlPlane operator;
  private volatile ControlPlane gateway;
  private int gatewayPort;
  private int metricsPort;
  private int gatewayMetricsPort;
  private Path kubeconfig;
  private ProjectFiles files;

  private LocalStack(StackOptions options) {
    this.options = options;
  }

  /**
   * Starts every part in order, reporting each step to {@code progress}; on failure, what was
   * started is stopped again.
   */
  public static LocalStack start(StackOptions options, Consumer<String> progress) {
    LocalStack stack = new LocalStack(options);
    try {
      stack.boot(progress);
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void boot(Consumer<String> progress) {
    long t = System.nanoTime();
    mkdirs(options.dir());
    database = LocalDatabase.start(options.dir().resolve("postgres"), options.maxConnections());
    resources.push(database);
    files = new ProjectFiles(database.admin(), database.app());
    progress.accept("PostgreSQL ready on port " + database.port() + ", migrated" + since(t));

    t = System.nanoTime();
    s3 =
        EmbeddedS3.start(
            EmbeddedS3.Options.filesystemStore(options.dir().resolve("s3")).withBucket(BUCKET));
    resources.push(s3);
    progress.accept("S3 (S3Proxy) ready at " + s3.endpoint() + since(t));

    t = System.nanoTime();
    api = MockApiServer.start();
    resources.push(api);
    client = api.newClient(options.namespace());
    resources.push(client);
    try (InputStream crd =
        PreviewSession.class.getResourceAsStream(
            "/META-INF/fabric8/" + PreviewSession.CRD_NAME + "-v1.yml")) {
      if (crd == null) {
        throw new IllegalStateException("the PreviewSession CRD is not on the classpath");
      }
      api.installCrd(crd);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the CRD", e);
    }
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(options.namespace())
                .endMetadata()
                .build())
        .create();
    resources.push(OwnerGarbageCollector.start(client, 2000));
    kubeconfig = api.writeKubeconfig(options.dir().resolve("kubeconfig"), options.namespace());
    progress.accept(
        "Kubernetes API (mock, CRUD) at " + api.url() + " with the PreviewSession CRD" + since(t));

    t = System.nanoTime();
    gatewayPort = ports.next();
    metricsPort = ports.next();
    gatewayMetricsPort = ports.next();
    gateway = startControlPlane(ControlPlane.Role.GATEWAY, gatewayMetricsPort);
    operator = startControlPlane(ControlPlane.Role.OPERATOR, metricsPort);
    progress.accept(
        "operator and realtime gateway started (gateway " + gatewayUrl() + ")" + since(t));

    t = System.nanoTime();
    ImageTable images = ImageTable.defaults(AGENT_IMAGE, options.agentJar());
    Path table = options.dir().resolve("images.conf");
    if (Files.isRegularFile(table)) {
      images = images.withRulesFrom(table);
    }
    kubelet =
        ProcessKubelet.start(
            client, KubeletConfig.defaults(options.dir().resolve("kubelet"), images));
    progress.accept("process kubelet watching pods (agent: " + options.agentJar() + ")" + since(t));
  }

  /**
   * The environment the operator and gateway get: exactly the variables a cluster deployment sets
   * (the chart), pointing at the local parts.
   */
  public Map<String, String> env(int metrics) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", database.jdbcUrl());
    env.put("DATABASE_USER", LocalDatabase.OPERATOR_ROLE);
    env.put("DATABASE_PASSWORD", database.operatorPassword());
    env.put("DATABASE_POOL_SIZE", "10");
    env.put("S3_ENDPOINT", s3.endpoint().toString());
    env.put("S3_REGION", s3.region());
    env.put("S3_BUCKET", BUCKET);
    env.put("S3_ACCESS_KEY", s3.accessKey());
    env.put("S3_SECRET_KEY", s3.secretKey());
    env.put("S3_PATH_STYLE", "true");
    env.put("S3_CREATE_BUCKET", "true");
    env.put("TOKEN_SIGNING_KEY_FILE", keys().signingKeyFile().toString());
    env.put("TOKEN_SIGNING_KEY_ID", keys().keyId());
    env.put("TOKEN_PUBLIC_KEYS_DIR", keys().publicKeysDir().toString());
    env.put("GATEWAY_PORT", Integer.toString(gatewayPort));
    env.put("GATEWAY_PUBLIC_URL", gatewayUrl());
    env.put("AGENT_IMAGE", AGENT_IMAGE);
    env.put("WATCH_NAMESPACES", options.namespace());
    env.put("LEADER_ELECTION", "false");
    env.put("METRICS_PORT", Integer.toString(metrics));
    env.putAll(options.operatorEnv());
    return env;
  }

  private LocalKeys keys;

  private LocalKeys keys() {
    if (keys == null) {
      keys = LocalKeys.create(options.dir().resolve("keys"));
    }
    return keys;
  }

  private ControlPlane startControlPlane(ControlPlane.Role role, int metrics) {
    if (!options.separateProcesses()) {
      return ControlPlane.start(role, env(metrics), client);
    }
    Path log = options.dir().resolve(role.name().toLowerCase(java.util.Locale.ROOT) + ".log");
    return ProcessControlPlane.start(
        role,
        env(metrics),
        kubeconfig,
        BuiltJar.OPERATOR.locate(System.getenv()),
        log,
        List.of("-Xmx512m", "-XX:+UseSerialGC"));
  }

  /** Stops and starts the realtime gateway (agents reconnect and resume). */
  public void restartGateway() {
    gateway.close();
    gateway = startControlPlane(ControlPlane.Role.GATEWAY, gatewayMetricsPort);
  }

  /** Stops and starts the operator (it re-lists everything and converges). */
  public void restartOperator() {
    operator.close();
    operator = startControlPlane(ControlPlane.Role.OPERATOR, metricsPort);
  }

  /** The gateway's URL as agents use it. */
  public String gatewayUrl() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  public String operatorMetricsUrl() {
    return "http://127.0.0.1:" + metricsPort + "/metrics";
  }

  public String gatewayMetricsUrl() {
    return "http://127.0.0.1:" + gatewayMetricsPort + "/metrics";
  }

  public KubernetesClient client() {
    return client;
  }

  public MockApiServer api() {
    return api;
  }

  public ProcessKubelet kubelet() {
    return kubelet;
  }

  public ProjectFiles files() {
    return files;
  }

  /** The object store (S3Proxy) snapshots live in. */
  public EmbeddedS3 objectStore() {
    return s3;
  }

  public LocalDatabase database() {
    return database;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public StackOptions options() {
    return options;
  }

  /** The operator and gateway in this JVM (for heap measurements). */
  public ControlPlane operator() {
    return operator;
  }

  public ControlPlane gateway() {
    return gateway;
  }

  /**
   * Stops everything in reverse order: the operator first (nothing new is created), the kubelet
   * (every session process is killed), the gateway, the API server, S3, PostgreSQL; then deletes
   * the directory unless asked to keep it.
   */
  @Override
  public void close() {
    closeQuietly(operator);
    closeQuietly(kubelet);
    closeQuietly(gateway);
    while (!resources.isEmpty()) {
      closeQuietly(resources.pop());
    }
    if (!options.keep()) {
      try {
        PodLayout.deleteTree(options.dir());
      } catch (RuntimeException e) {
        LOG.warn("could not delete {}: {}", options.dir(), e.toString());
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }

  private static String since(long t) {
    return " (" + Duration.ofNanos(System.nanoTime() - t).toMillis() + " ms)";
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create " + dir, e);
    }
  }
}
