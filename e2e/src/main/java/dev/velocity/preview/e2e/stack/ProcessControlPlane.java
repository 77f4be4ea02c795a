package dev.velocity.preview.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator or the gateway as its own JVM: {@code java -jar preview-operator.jar --role=...}
 * with the same environment plus {@code KUBECONFIG} for the mock API server — exactly how it runs
 * in a cluster, and the only way to measure each part's heap on its own.
 */
final class ProcessControlPlane implements ControlPlane {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int metricsPort;

  private ProcessControlPlane(Process process, int metricsPort) {
    this.process = process;
    this.metricsPort = metricsPort;
  }

  static ProcessControlPlane start(
      Role role,
      Map<String, String> env,
      Path kubeconfig,
      Path operatorJar,
      Path log,
      List<String> jvmFlags) {
    int metricsPort = Integer.parseInt(env.get("METRICS_PORT"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new java.util.ArrayList<>(List.of(java));
    argv.addAll(jvmFlags);
    argv.addAll(
        List.of("-jar", operatorJar.toString(), "--role=" + role.name().toLowerCase(Locale.ROOT)));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Process p = pb.start();
      ProcessControlPlane plane = new ProcessControlPlane(p, metricsPort);
      try {
        plane.awaitReady(Duration.ofSeconds(90), log);
      } catch (RuntimeException e) {
        // not ready (or interrupted while waiting): nobody else holds the process to stop it
        p.destroyForcibly();
        throw e;
      }
      return plane;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + operatorJar, e);
    }
  }

  private void awaitReady(Duration timeout, Path log) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the control plane exited with " + process.exitValue() + "; see " + log);
      }
      if (get("/readyz").map(r -> r.statusCode() == 200).orElse(false)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        "the control plane was not ready within " + timeout + "; see " + log);
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /** Heap used after a full GC ({@code jcmd <pid> GC.run}), from its Prometheus JVM metrics. */
  @Override
  public long heapUsed() {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      if (Files.isExecutable(jcmd)) {
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(30, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      // no forced GC: the reading includes garbage
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return get("/metrics")
        .map(
            r ->
                r.body()
                    .lines()
                    .filter(
                        l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum())
        .orElse(-1L);
  }

  private java.util.Optional<HttpResponse<String>> get(String path) {
    try {
      return java.util.Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
