package dev.velocity.preview.e2e.cluster;

import dev.velocity.preview.testkit.OffLoopWatchDispatcher;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fabric8 Kubernetes mock API server in CRUD mode, in-process on a loopback port: the "cluster"
 * of the local stack. It stores objects, serves watches, honours resourceVersion, finalizers and
 * the status subresource of custom resources. What it lacks of a real control plane (a garbage
 * collector, a kubelet) the local stack adds ({@link OwnerGarbageCollector}, the process kubelet).
 *
 * <p>Every client talks plain HTTP to {@link #url()}; {@link #writeKubeconfig(Path)} writes a
 * kubeconfig so that {@code kubectl} can be pointed at it too.
 */
public final class MockApiServer implements AutoCloseable {
  private static final String TOKEN = "local-stack";

  private final MockWebServer web;
  private final KubernetesMockServer server;
  private final ScheduledExecutorService drainer;
  private final ExecutorService watchCloser;

  private MockApiServer(
      MockWebServer web, KubernetesMockServer server, ExecutorService watchCloser) {
    this.web = web;
    this.server = server;
    this.watchCloser = watchCloser;
    this.drainer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mock-api-request-drainer");
              t.setDaemon(true);
              return t;
            });
    // the mock server records every request for test assertions; a long run must not keep them
    drainer.scheduleWithFixedDelay(web::reset, 5, 5, TimeUnit.SECONDS);
  }

  /** Starts a server on an ephemeral loopback port. */
  public static MockApiServer start() {
    // the mock web server logs every request at INFO through java.util.logging
    Logger.getLogger(MockWebServer.class.getName()).setLevel(Level.WARNING);
    MockWebServer web = new MockWebServer();
    web.setHttp2ClearTextEnabled(false);
    ExecutorService watchCloser =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "mock-api-watch-closer");
              t.setDaemon(true);
              return t;
            });
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            web,
            new HashMap<>(),
            new OffLoopWatchDispatcher(watchCloser),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new MockApiServer(web, server, watchCloser);
  }

  /** The API server's base URL, e.g. {@code http://127.0.0.1:40123/}. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort() + "/";
  }

  /** A client configuration for this server, default namespace {@code namespace}. */
  public Config config(String namespace) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace(namespace)
        .withOauthToken(TOKEN)
        .withHttp2Disable(true)
        .withRequestTimeout(30_000)
        .withConnectionTimeout(10_000)
        .build();
  }

  /** A new client (the caller closes it). */
  public KubernetesClient newClient(String namespace) {
    return new KubernetesClientBuilder().withConfig(config(namespace)).build();
  }

  /** Installs a CRD from a YAML or JSON stream (e.g. the generated one on the classpath). */
  public void installCrd(InputStream yaml) {
    try (KubernetesClient client = newClient("default")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /** Writes a kubeconfig for this server to {@code file} and returns it. */
  public Path writeKubeconfig(Path file, String namespace) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: preview-local
          cluster:
            server: %s
        users:
        - name: preview-local
          user:
            token: %s
        contexts:
        - name: preview-local
          context:
            cluster: preview-local
            user: preview-local
            namespace: %s
        current-context: preview-local
        """
            .formatted(url(), TOKEN, namespace);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
  }

  @Override
  public void close() {
    drainer.shutdownNow();
    server.destroy();
    watchCloser.shutdown();
  }
}
