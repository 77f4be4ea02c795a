package dev.velocity.preview.agent.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code /healthz}, {@code /readyz} and {@code /metrics} on {@code HEALTH_PORT}. */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(
      int port, BooleanSupplier alive, Supplier<String> readiness, Supplier<String> metrics)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "agent-health");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(
        "/healthz",
        ex ->
            respond(
                ex,
                alive.getAsBoolean() ? 200 : 503,
                alive.getAsBoolean() ? "ok\n" : "sync loop stopped\n",
                "text/plain"));
    server.createContext(
        "/readyz",
        ex -> {
          String problem = readiness.get();
          respond(
              ex,
              problem == null ? 200 : 503,
              problem == null ? "ready\n" : problem + "\n",
              "text/plain");
        });
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, metrics.get(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String body, String type)
      throws IOException {
    try (ex) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
