package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

  Result probe(
      Probe probe, Container container, HostMapping mapping, Map<String, String> env, Path cwd) {
    Duration timeout = Duration.ofSeconds(Objects.requireNonNullElse(probe.getTimeoutSeconds(), 1));
    try {
      if (probe.getHttpGet() != null) {
        var get = probe.getHttpGet();
        int port = hostPort(get.getPort(), container, mapping);
        String path = Objects.requireNonNullElse(get.getPath(), "/");
        int status =
            httpGet(port, path.startsWith("/") ? path : "/" + path, get.getHttpHeaders(), timeout);
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

  /**
   * One {@code GET} on a fresh connection that is closed afterwards, as a kubelet probes (it
   * disables keep-alive), reading only the status line. A plain socket, not {@code HttpClient}: the
   * client's selector thread and executor hand-offs cost about a millisecond of CPU per probe, and
   * hundreds of pods are probed every two seconds on one machine.
   */
  static int httpGet(int port, String path, List<HTTPHeader> headers, Duration timeout)
      throws IOException {
    StringBuilder request = new StringBuilder();
    request.append("GET ").append(requireToken(path, "path")).append(" HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    request.append("User-Agent: kube-probe/local\r\nAccept: */*\r\nConnection: close\r\n");
    for (HTTPHeader h : headers) {
      request.append(requireToken(h.getName(), "header name")).append(": ");
      request.append(requireHeaderValue(h.getValue())).append("\r\n");
    }
    request.append("\r\n");
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
      s.setSoTimeout(millis);
      OutputStream out = s.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b; (b = in.read()) != -1 && b != '\n'; ) {
        if (line.length() > 256) {
          throw new IOException("HTTP status line too long");
        }
        line.append((char) b);
      }
      String[] parts = line.toString().trim().split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP response: " + line.toString().trim());
      }
      try {
        return Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad HTTP status line: " + line.toString().trim());
      }
    }
  }

  private static String requireToken(String value, String what) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw new IllegalArgumentException("invalid " + what + " in HTTP probe: " + value);
    }
    return value;
  }

  private static String requireHeaderValue(String value) {
    String v = Objects.requireNonNullElse(value, "");
    if (v.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException("invalid header value in HTTP probe");
    }
    return v;
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
