package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one probe against a container on this machine: {@code httpGet} (2xx/3xx is success) and
 * {@code tcpSocket} to the mapped host port, {@code exec} as a host command with the container's
 * environment. A named port is looked up in the container's ports.
 */
final class Prober {
  /** The outcome of one probe. */
  record Result(boolean success, String message) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  Result probe(
      Probe probe, Container container, HostMapping mapping, Map<String, String> env, Path cwd) {
    Duration timeout = Duration.ofSeconds(Objects.requireNonNullElse(probe.getTimeoutSeconds(), 1));
    try {
      if (probe.getHttpGet() != null) {
        var get = probe.getHttpGet();
        int port = hostPort(get.getPort(), container, mapping);
        String path = Objects.requireNonNullElse(get.getPath(), "/");
        URI uri =
            URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        get.getHttpHeaders().forEach(h -> req.header(h.getName(), h.getValue()));
        int status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        return new Result(status >= 200 && status < 400, "HTTP probe returned " + status);
      }
      if (probe.getTcpSocket() != null) {
        int port = hostPort(probe.getTcpSocket().getPort(), container, mapping);
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
        }
        return new Result(true, "TCP connect succeeded");
      }
      if (probe.getExec() != null) {
        List<String> argv =
            mapping.rewriteArgs(VarExpansion.expandAll(probe.getExec().getCommand(), env));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          return new Result(false, "exec probe timed out");
        }
        return new Result(p.exitValue() == 0, "exec probe exited " + p.exitValue());
      }
      return new Result(true, "probe type not supported here; treated as success");
    } catch (IOException e) {
      return new Result(false, "probe failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "probe interrupted");
    } catch (IllegalArgumentException e) {
      return new Result(false, "probe misconfigured: " + e.getMessage());
    }
  }

  private static int hostPort(IntOrString port, Container container, HostMapping mapping) {
    int containerPort;
    if (port.getIntVal() != null) {
      containerPort = port.getIntVal();
    } else {
      Optional<Integer> named =
          container.getPorts().stream()
              .filter(p -> port.getStrVal().equals(p.getName()))
              .map(ContainerPort::getContainerPort)
              .findFirst();
      containerPort =
          named.orElseThrow(
              () -> new IllegalArgumentException("no container port named " + port.getStrVal()));
    }
    return mapping
        .hostPort(containerPort)
        .orElseThrow(
            () -> new IllegalArgumentException("port " + containerPort + " is not mapped"));
  }
}
