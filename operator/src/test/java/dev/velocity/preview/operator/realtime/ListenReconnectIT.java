package dev.velocity.preview.operator.realtime;

import static dev.velocity.preview.operator.realtime.AuthErrorsIT.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.operator.realtime.SseClient.Event;
import dev.velocity.preview.operator.realtime.feed.DatabaseListener;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Losing the LISTEN connection (or the whole database) loses and duplicates nothing. */
class ListenReconnectIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig config =
        GatewayConfig.fromEnv(
            Map.of(
                "GATEWAY_PORT", "0",
                "GATEWAY_DB_HEARTBEAT_MILLIS", "200",
                "GATEWAY_DB_RECONNECT_MAX_MILLIS", "200"));
    gw = GatewayFixture.start(config, b -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void terminatingTheListenConnectionWhileWritesContinueLosesAndRepeatsNothing() throws Exception {
    UUID project = gw.newProject();
    UUID quiet = gw.newProject();
    int total = 400;
    AtomicLong written = new AtomicLong();
    GatewayFixture.Session s = gw.session(project);
    GatewayFixture.Session q = gw.session(quiet);
    long reconnectsBefore = gw.server.metrics().dbReconnectsTotal();
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "0");
        SseClient other = SseClient.open(gw.events(quiet), q.token(), "0")) {
      assertThat(sse.status()).isEqualTo(200);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < total; i++) {
                    written.set(gw.write(project, "src/f" + (i % 9) + ".ts", "content " + i));
                    Thread.sleep(1);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      int kills = 0;
      for (long killAt : List.of(50L, 150L, 250L)) {
        await().atMost(WAIT).until(() -> written.get() >= killAt);
        assertThat(terminateListenConnection()).isEqualTo(1);
        long expected = reconnectsBefore + ++kills;
        await().atMost(WAIT).until(() -> gw.server.metrics().dbReconnectsTotal() == expected);
      }
      writer.get();
      List<Event> events = sse.take(total, WAIT);
      assertThat(events)
          .extracting(Event::revision)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(sse.next(Duration.ofMillis(500))).isNull();
      // a project without writes heard nothing, before or after its re-LISTEN
      assertThat(other.drain()).isEmpty();
      long r = gw.write(quiet, "q.ts", "q");
      assertThat(other.next(WAIT).revision()).isEqualTo(r);
    }
    assertThat(gw.server.metrics().dbReconnectsTotal()).isEqualTo(reconnectsBefore + 3);
  }

  @Test
  void aDatabaseOutageTurnsReadinessOffAndCatchesUpFromTheTableAfterwards() throws Exception {
    UUID project = gw.newProject();
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "0")) {
      for (int i = 0; i < 5; i++) {
        gw.write(project, "f.ts", "before " + i);
      }
      assertThat(sse.take(5, WAIT)).extracting(Event::revision).containsExactly(1L, 2L, 3L, 4L, 5L);
      try {
        execute("alter role " + gw.role + " nologin");
        execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where usename = '"
                + gw.role
                + "'");
        await().atMost(WAIT).until(() -> readyz().statusCode() == 503);
        assertThat(readyz().body())
            .isEqualTo(body("unavailable", "the gateway is not listening to the database"));
        // these doorbells ring for no one: only the table can bring them back
        for (int i = 0; i < 20; i++) {
          gw.write(project, "f.ts", "during " + i);
        }
        assertThat(sse.next(Duration.ofMillis(500))).isNull();
      } finally {
        execute("alter role " + gw.role + " login");
      }
      await().atMost(WAIT).until(() -> readyz().statusCode() == 200);
      assertThat(sse.take(20, WAIT))
          .extracting(Event::revision)
          .containsExactlyElementsOf(LongStream.rangeClosed(6, 25).boxed().toList());
      assertThat(sse.next(Duration.ofMillis(300))).isNull();
      assertThat(gw.write(project, "f.ts", "after")).isEqualTo(26);
      assertThat(sse.next(WAIT).revision()).isEqualTo(26);
    }
  }

  private static int terminateListenConnection() throws Exception {
    try (Connection c = gw.superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where application_name = ? and datname = current_database()")) {
      ps.setString(1, DatabaseListener.APPLICATION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = gw.superuser.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static HttpResponse<String> readyz() throws Exception {
    return SseClient.HTTP.send(
        HttpRequest.newBuilder(gw.uri("/readyz")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
