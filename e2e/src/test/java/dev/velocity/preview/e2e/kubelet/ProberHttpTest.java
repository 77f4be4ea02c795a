package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProberHttpTest {
  HttpServer server;
  final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          seen.add(
              ex.getRequestURI()
                  + " "
                  + ex.getRequestHeaders().getFirst("Connection")
                  + " "
                  + ex.getRequestHeaders().getFirst("X-Probe"));
          int status =
              switch (ex.getRequestURI().getPath()) {
                case "/readyz" -> 200;
                case "/moved" -> 302;
                default -> 503;
              };
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Test
  void returnsTheStatusOfOneGetOnAClosedConnectionWithTheProbesHeaders() throws IOException {
    List<HTTPHeader> headers = List.of(new HTTPHeader("X-Probe", "yes"));
    assertThat(Prober.httpGet(port(), "/readyz?x=1", headers, Duration.ofSeconds(1)))
        .isEqualTo(200);
    assertThat(Prober.httpGet(port(), "/moved", List.of(), Duration.ofSeconds(1))).isEqualTo(302);
    assertThat(Prober.httpGet(port(), "/down", List.of(), Duration.ofSeconds(1))).isEqualTo(503);
    assertThat(seen)
        .containsExactly("/readyz?x=1 close yes", "/moved close null", "/down close null");
  }

  @Test
  void refusesHeaderAndPathInjectionBeforeConnecting() {
    List<HTTPHeader> crlf = List.of(new HTTPHeader("X-Probe", "a\r\nHost: evil"));
    assertThatThrownBy(() -> Prober.httpGet(port(), "/readyz", crlf, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid header value in HTTP probe");
    assertThatThrownBy(
            () -> Prober.httpGet(port(), "/a b HTTP/1.0", List.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid path in HTTP probe: /a b HTTP/1.0");
    assertThat(seen).isEmpty();
  }

  @Test
  void aServerThatIsNotHttpOrSilentFails() throws IOException {
    try (ServerSocket junk = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = junk.accept()) {
                  OutputStream out = s.getOutputStream();
                  out.write("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  Thread.sleep(200);
                } catch (IOException | InterruptedException e) {
                  // the probe closed first
                }
              });
      t.start();
      assertThatThrownBy(
              () -> Prober.httpGet(junk.getLocalPort(), "/", List.of(), Duration.ofSeconds(1)))
          .isInstanceOf(IOException.class)
          .hasMessage("not an HTTP response: SSH-2.0-OpenSSH");
    }
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> Prober.httpGet(silent.getLocalPort(), "/", List.of(), Duration.ofMillis(200)))
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }
}
