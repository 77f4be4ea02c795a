package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams the gateway ended for one reason ({@code preview_gateway_streams_closed_total}), over
 * every gateway process of the trial: a restart resets the counter, so the count is taken just
 * before each restart and added up.
 */
final class GatewayStreamsClosed {
  private final LocalStack stack;
  private final String reason;
  private final AtomicLong beforeRestarts = new AtomicLong();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  GatewayStreamsClosed(LocalStack stack, String reason) {
    this.stack = stack;
    this.reason = reason;
  }

  /** Called just before the gateway restarts. */
  void beforeRestart() {
    beforeRestarts.addAndGet(current());
  }

  /** The total so far. */
  long total() {
    return beforeRestarts.get() + current();
  }

  private long current() {
    String series = "preview_gateway_streams_closed_total{reason=\"" + reason + "\"}";
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return body.lines()
          .filter(l -> l.startsWith(series))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      return 0; // the gateway is down: it ended no stream meanwhile
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
