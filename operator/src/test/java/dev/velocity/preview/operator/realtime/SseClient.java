package dev.velocity.preview.operator.realtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small server-sent-events client for tests (java.net.http): parses {@code id:}, {@code event:},
 * {@code data:} and comment lines as a browser's EventSource does, and records the end of stream.
 */
final class SseClient implements AutoCloseable {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One dispatched event ({@code id} null when the frame had no id line). */
  record Event(String id, String type, String data) {
    long revision() {
      return Long.parseLong(id);
    }
  }

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<String> comments = new ArrayList<>();
  private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final String errorBody;

  private SseClient(HttpResponse<InputStream> response) throws IOException {
    this.response = response;
    if (response.statusCode() == 200) {
      errorBody = null;
      Thread reader = new Thread(this::read, "sse-client");
      reader.setDaemon(true);
      reader.start();
    } else {
      try (InputStream in = response.body()) {
        errorBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      ended.countDown();
    }
  }

  /** Opens a stream with {@code token} and, unless null, a {@code Last-Event-ID}. */
  static SseClient open(URI uri, String token, String lastEventId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The body of a refused request. */
  String errorBody() {
    return errorBody;
  }

  /** The next event, or null after {@code timeout}. */
  Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Exactly {@code n} events; fails when they do not arrive within {@code timeout}. */
  List<Event> take(int n, Duration timeout) throws InterruptedException {
    List<Event> out = new ArrayList<>(n);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < n) {
      long left = deadline - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError(
            "got "
                + out.size()
                + " of "
                + n
                + " events: "
                + out.stream().map(x -> x.type() + "#" + x.id()).toList());
      }
      out.add(e);
    }
    return out;
  }

  /** True when the server ended the stream within {@code timeout}. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The events received but not yet taken. */
  List<Event> drain() {
    List<Event> out = new ArrayList<>();
    events.drainTo(out);
    return out;
  }

  /** {@code System.nanoTime()} when the event with {@code id} arrived, or null. */
  Long arrivalNanos(long id) {
    return arrivals.get(id);
  }

  /** Comment lines received so far (without the leading colon). */
  synchronized List<String> comments() {
    return List.copyOf(comments);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null || type != null) {
            if (id != null) {
              arrivals.put(Long.parseLong(id), System.nanoTime());
            }
            events.add(new Event(id, type, data == null ? "" : data.toString()));
          }
          id = null;
          type = null;
          data = null;
        } else if (line.startsWith(":")) {
          synchronized (this) {
            comments.add(line.substring(1).trim());
          }
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          String value = line.substring(5);
          value = value.startsWith(" ") ? value.substring(1) : value;
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
    } catch (IOException e) {
      // the connection ended: same as the end of stream
    } finally {
      ended.countDown();
    }
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
