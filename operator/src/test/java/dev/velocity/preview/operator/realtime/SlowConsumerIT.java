package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.operator.realtime.SseClient.Event;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reader that stops reading is cut off once its unsent backlog passes the bound; a fast reader of
 * the same project keeps receiving every event meanwhile, and the slow one resumes losslessly.
 */
class SlowConsumerIT {
  static final int BUFFER = 256 * 1024;
  static final int EVENTS = 120;
  static final String CONTENT = "x".repeat(64 * 1024);
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    gw =
        GatewayFixture.start(
            GatewayConfig.fromEnv(
                Map.of(
                    "GATEWAY_PORT", "0", "GATEWAY_STREAM_BUFFER_BYTES", Integer.toString(BUFFER))),
            b -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void aSlowReaderIsClosedWithoutDelayingAFastOneAndResumesWithoutLoss() throws Exception {
    UUID project = gw.newProject();
    GatewayFixture.Session fastSession = gw.session(project);
    GatewayFixture.Session slowSession = gw.session(project);
    long overflowsBefore = gw.server.metrics().streamsClosed("overflow");
    try (SseClient fast = SseClient.open(gw.events(project), fastSession.token(), "0");
        Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", gw.server.port()));
      OutputStream request = slow.getOutputStream();
      request.write(
          ("GET /v1/projects/"
                  + project
                  + "/events HTTP/1.1\r\nHost: gateway\r\n"
                  + "Authorization: Bearer "
                  + slowSession.token()
                  + "\r\n"
                  + "Last-Event-ID: 0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      request.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.server.metrics().streamsOpen() == 2);

      // the slow socket is never read while these ~7.7 MB are written
      long[] committed = new long[EVENTS + 1];
      for (int i = 1; i <= EVENTS; i++) {
        long revision = gw.write(project, "big" + (i % 3) + ".txt", CONTENT + i);
        committed[(int) revision] = System.nanoTime();
      }
      List<Event> got = fast.take(EVENTS, Duration.ofSeconds(60));
      assertThat(got)
          .extracting(Event::revision)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
      long worstLagMillis = 0;
      for (int r = 1; r <= EVENTS; r++) {
        worstLagMillis =
            Math.max(worstLagMillis, (fast.arrivalNanos(r) - committed[r]) / 1_000_000);
      }
      // generous for a shared 2-core machine; a fast reader stalled behind the slow one would
      // wait forever, as the slow socket is not read until the end of this test
      assertThat(worstLagMillis).isLessThan(10_000);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> gw.server.metrics().streamsClosed("overflow") == overflowsBefore + 1);
      assertThat(gw.server.metrics().streamsOpen()).isEqualTo(1);

      // now the slow reader reads what was queued for it: a prefix, the reason, the end
      String received = readToEnd(slow);
      assertThat(received).startsWith("HTTP/1.1 200 OK");
      List<Long> ids = ids(received);
      assertThat(ids).isNotEmpty();
      long last = ids.get(ids.size() - 1);
      assertThat(last).isLessThan(EVENTS);
      assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
      assertThat(received)
          .contains(
              ": overflow: more than "
                  + BUFFER
                  + " bytes unsent; reconnect with Last-Event-ID "
                  + last)
          .endsWith("0\r\n\r\n");

      try (SseClient resumed =
          SseClient.open(gw.events(project), slowSession.token(), Long.toString(last))) {
        assertThat(resumed.take((int) (EVENTS - last), Duration.ofSeconds(60)))
            .extracting(Event::revision)
            .containsExactlyElementsOf(LongStream.rangeClosed(last + 1, EVENTS).boxed().toList());
      }
      assertThat(fast.next(Duration.ofMillis(100))).isNull();
    }
  }

  private static String readToEnd(Socket socket) throws Exception {
    socket.setSoTimeout(20_000);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the slow stream was not closed by the gateway", e);
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  private static List<Long> ids(String stream) {
    List<Long> ids = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^id: (\\d+)$").matcher(stream);
    while (m.find()) {
      ids.add(Long.parseLong(m.group(1)));
    }
    return ids;
  }
}
