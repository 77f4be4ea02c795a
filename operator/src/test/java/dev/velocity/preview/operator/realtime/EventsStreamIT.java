package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.velocity.preview.operator.realtime.SseClient.Event;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.ProjectEvent;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replay, live, their handover, resume from any revision, event shapes, resync and reauth. */
class EventsStreamIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    // a small replay batch makes every replay of this class span several chunks
    GatewayConfig config =
        GatewayConfig.fromEnv(
            Map.of(
                "GATEWAY_PORT",
                "0",
                "GATEWAY_REPLAY_BATCH",
                "7",
                "GATEWAY_KEEPALIVE_SECONDS",
                "1"));
    gw = GatewayFixture.start(config, b -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void replayThenLiveWithInterleavedWritesDeliversEveryRevisionOnceInOrder() throws Exception {
    UUID project = gw.newProject();
    for (int i = 0; i < 40; i++) {
      gw.write(project, "src/f" + (i % 5) + ".ts", "before " + i);
    }
    GatewayFixture.Session s = gw.session(project);
    // writes keep landing while the stream registers, replays and hands over to live
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < 200; i++) {
                  gw.write(project, "src/g" + (i % 7) + ".ts", "during " + i);
                  if (i % 25 == 0) {
                    Thread.sleep(2);
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "0")) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.header("content-type")).startsWith("text/event-stream");
      writer.get();
      List<Event> events = sse.take(240, WAIT);
      assertThat(events)
          .extracting(Event::revision)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 240).boxed().toList());
      assertThat(events).extracting(Event::type).containsOnly("file:update");
      // nothing beyond: each revision exactly once
      assertThat(sse.next(Duration.ofMillis(300))).isNull();
      long next = gw.write(project, "src/after.ts", "after");
      Event live = sse.next(WAIT);
      assertThat(live.revision()).isEqualTo(next).isEqualTo(241);
    }
  }

  @Test
  void reconnectWithLastEventIdFromEveryPositionResumesAtTheNextRevision() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "a.ts", "a1");
    gw.write(project, "b.ts", "b1");
    gw.bulk(
        project,
        "[{\"file_path\":\"c.ts\",\"file_type\":\"typescript\",\"content\":\"c1\"},"
            + "{\"file_path\":\"d.ts\",\"file_type\":\"typescript\",\"content\":\"d1\"}]");
    gw.delete(project, "a.ts");
    for (int i = 0; i < 12; i++) {
      gw.write(project, "b.ts", "b" + (i + 2));
    }
    long head = gw.revision(project);
    assertThat(head).isEqualTo(16);
    GatewayFixture.Session s = gw.session(project);
    List<Event> all;
    try (SseClient full = SseClient.open(gw.events(project), s.token(), "0")) {
      all = full.take((int) head, WAIT);
    }
    for (long from = 0; from <= head; from++) {
      try (SseClient sse = SseClient.open(gw.events(project), s.token(), Long.toString(from))) {
        List<Event> got = sse.take((int) (head - from), WAIT);
        assertThat(got)
            .as("resumed after revision %d", from)
            .containsExactlyElementsOf(all.subList((int) from, (int) head));
        assertThat(sse.next(Duration.ofMillis(50))).isNull();
      }
    }
    // ?since= is the same as Last-Event-ID
    try (SseClient sse =
        SseClient.open(gw.uri("/v1/projects/" + project + "/events?since=14"), s.token(), null)) {
      assertThat(sse.take(2, WAIT)).containsExactlyElementsOf(all.subList(14, 16));
    }
  }

  @Test
  void eventShapesMatchTheContract() throws Exception {
    UUID project = gw.newProject();
    long r1 = gw.write(project, "src/App.tsx", "export const x = 1;\n");
    long r2 =
        gw.bulk(
            project,
            "[{\"file_path\":\"src/b.ts\",\"file_type\":\"typescript\",\"content\":\"B\"},"
                + "{\"file_path\":\"src/App.tsx\",\"delete\":true},"
                + "{\"file_path\":\"a/c.css\",\"file_type\":\"css\",\"content\":\"C\"}]");
    long r3 = gw.delete(project, "src/b.ts");
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "0")) {
      List<Event> events = sse.take(3, WAIT);

      Event update = events.get(0);
      assertThat(update.id()).isEqualTo(Long.toString(r1));
      assertThat(update.type()).isEqualTo("file:update");
      JsonNode u = EventJson.mapper().readTree(update.data());
      assertThat(fieldNames(u))
          .containsExactly(
              "projectId",
              "revision",
              "filePath",
              "fileType",
              "content",
              "contentHash",
              "version",
              "timestamp");
      assertThat(u.get("projectId").asText()).isEqualTo(project.toString());
      assertThat(u.get("revision").asLong()).isEqualTo(r1);
      assertThat(u.get("content").asText()).isEqualTo("export const x = 1;\n");
      assertThat(u.get("contentHash").asText())
          .isEqualTo(ContentHash.sha256Hex("export const x = 1;\n"));
      assertThat(u.get("version").asInt()).isEqualTo(1);
      assertThat(Instant.parse(u.get("timestamp").asText()))
          .isBetween(Instant.now().minusSeconds(60), Instant.now());

      Event bulk = events.get(1);
      assertThat(bulk.id()).isEqualTo(Long.toString(r2));
      assertThat(bulk.type()).isEqualTo("bulk:apply");
      ProjectEvent b = EventJson.readEvent(bulk.type(), bulk.data());
      assertThat(b.revision()).isEqualTo(r2);
      assertThat(b.filePath()).isNull();
      assertThat(b.files()).hasSize(3);
      assertThat(b.files().get(0).op()).isEqualTo("upsert");
      assertThat(b.files().get(0).filePath()).isEqualTo("a/c.css");
      assertThat(b.files().get(0).fileType()).isEqualTo("css");
      assertThat(b.files().get(0).content()).isEqualTo("C");
      assertThat(b.files().get(0).contentHash()).isEqualTo(ContentHash.sha256Hex("C"));
      assertThat(b.files().get(0).version()).isEqualTo(1);
      assertThat(b.files().get(1).op()).isEqualTo("delete");
      assertThat(b.files().get(1).filePath()).isEqualTo("src/App.tsx");
      assertThat(b.files().get(1).content()).isNull();
      assertThat(b.files().get(1).version()).isEqualTo(2);
      assertThat(b.files().get(2).op()).isEqualTo("upsert");
      assertThat(b.files().get(2).filePath()).isEqualTo("src/b.ts");
      JsonNode rawDelete = EventJson.mapper().readTree(bulk.data()).get("files").get(1);
      assertThat(fieldNames(rawDelete))
          .contains("op", "filePath", "version")
          .doesNotContain("content", "contentHash");

      Event delete = events.get(2);
      assertThat(delete.id()).isEqualTo(Long.toString(r3));
      assertThat(delete.type()).isEqualTo("file:delete");
      JsonNode d = EventJson.mapper().readTree(delete.data());
      assertThat(fieldNames(d))
          .containsExactly("projectId", "revision", "filePath", "version", "timestamp");
      assertThat(d.get("filePath").asText()).isEqualTo("src/b.ts");
      assertThat(d.get("version").asInt()).isEqualTo(2);
    }
  }

  @Test
  void withoutLastEventIdTheStreamStartsAtTheCurrentRevision() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "old.ts", "old");
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), null)) {
      assertThat(sse.next(Duration.ofMillis(300))).isNull();
      long r = gw.write(project, "new.ts", "new");
      assertThat(sse.next(WAIT).revision()).isEqualTo(r).isEqualTo(2);
    }
  }

  @Test
  void sinceOlderThanTheRetainedLogAnswersResync() throws Exception {
    UUID project = gw.newProject();
    for (int i = 0; i < 5; i++) {
      gw.write(project, "f.ts", "v" + i);
    }
    try (Connection c = gw.superuser.getConnection();
        Statement st = c.createStatement()) {
      st.execute("select * from prune_project_history(interval '0 seconds', '" + project + "')");
    }
    gw.write(project, "f.ts", "v5");
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "2")) {
      Event resync = sse.next(WAIT);
      assertThat(resync.type()).isEqualTo("resync");
      assertThat(resync.id()).isNull();
      JsonNode data = EventJson.mapper().readTree(resync.data());
      assertThat(data.get("projectId").asText()).isEqualTo(project.toString());
      assertThat(data.get("revision").asLong()).isEqualTo(6);
      assertThat(data.get("reason").asText()).contains("revision 3");
      assertThat(sse.awaitEnd(WAIT)).isTrue();
      assertThat(sse.drain()).isEmpty();
    }
    // the retained part still replays
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "5")) {
      assertThat(sse.next(WAIT).revision()).isEqualTo(6);
    }
  }

  @Test
  void sinceNewerThanTheProjectAnswersResync() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "f.ts", "v");
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "9")) {
      Event resync = sse.next(WAIT);
      assertThat(resync.type()).isEqualTo("resync");
      assertThat(EventJson.mapper().readTree(resync.data()).get("revision").asLong()).isEqualTo(1);
      assertThat(sse.awaitEnd(WAIT)).isTrue();
    }
  }

  @Test
  void keepaliveCommentsFlowWhileIdle() throws Exception {
    UUID project = gw.newProject();
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "0")) {
      Thread.sleep(2_500);
      assertThat(sse.comments()).contains("keepalive");
      assertThat(sse.comments().size()).isBetween(2, 3);
      assertThat(sse.drain()).isEmpty();
    }
  }

  @Test
  void tokenExpiryEndsTheStreamWithReauth() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "f.ts", "v1");
    GatewayFixture.Session s = gw.expiringSession(project, Duration.ofSeconds(2));
    try (SseClient sse = SseClient.open(gw.events(project), s.token(), "0")) {
      assertThat(sse.next(WAIT).revision()).isEqualTo(1);
      Event reauth = sse.next(Duration.ofSeconds(5));
      assertThat(reauth).isNotNull();
      assertThat(reauth.type()).isEqualTo("reauth");
      assertThat(reauth.id()).isNull();
      assertThat(EventJson.mapper().readTree(reauth.data()).get("revision").asLong()).isEqualTo(1);
      assertThat(sse.awaitEnd(Duration.ofSeconds(5))).isTrue();
    }
    // a fresh token and the Last-Event-ID lose nothing
    gw.write(project, "f.ts", "v2");
    try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "1")) {
      assertThat(sse.next(WAIT).revision()).isEqualTo(2);
    }
  }

  @Test
  void malformedLastEventIdIsRefusedWith400() throws Exception {
    UUID project = gw.newProject();
    GatewayFixture.Session s = gw.session(project);
    for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999")) {
      try (SseClient sse = SseClient.open(gw.events(project), s.token(), bad)) {
        assertThat(sse.status()).isEqualTo(400);
        assertThat(sse.errorBody())
            .isEqualTo(
                "{\"error\":\"bad_request\",\"message\":\"Last-Event-ID must be a non-negative"
                    + " integer revision, got '"
                    + bad
                    + "'\"}");
      }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
