package dev.velocity.preview.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on an ephemeral loopback port serving byte arrays (snapshot downloads). */
public final class FileServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long bytesPerSecond;

  public FileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            Integer forced = statuses.get(path);
            if (forced == null && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              forced = 503;
            }
            byte[] body = files.get(path);
            if (forced != null || body == null) {
              ex.sendResponseHeaders(forced != null ? forced : 404, -1);
              return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              long rate = bytesPerSecond;
              if (rate <= 0) {
                out.write(body);
              } else {
                int chunk = (int) Math.max(1, rate / 20);
                for (int off = 0; off < body.length; off += chunk) {
                  out.write(body, off, Math.min(chunk, body.length - off));
                  out.flush();
                  Thread.sleep(50);
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    server.start();
  }

  /** Serves {@code body} at {@code path} and returns its URL. */
  public String put(String path, byte[] body) {
    files.put(path, body);
    return url(path);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers {@code status} for {@code path}. */
  public void status(String path, int status) {
    statuses.put(path, status);
  }

  /** The next {@code n} requests fail with 503. */
  public void failNext(int n) {
    failuresLeft.set(n);
  }

  /** Throttles downloads. */
  public void throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
