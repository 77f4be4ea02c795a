package dev.velocity.preview.operator.realtime;

import static dev.velocity.preview.operator.realtime.AuthErrorsIT.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.operator.realtime.ServiceSnapshotProvider.ServiceSnapshot;
import dev.velocity.preview.protocol.SnapshotLocation;
import dev.velocity.preview.protocol.SnapshotManifest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at the gateway over real HTTP and a real database: credentials of every bad kind,
 * malformed resume positions, oversized requests and bodies. Each case asserts the exact status and
 * body, that the gateway keeps serving, and that nothing was written.
 */
class HostileInputIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SERVICE_TOKEN = "hostile-input-service-token";
  private static final String SNAPSHOT_SHAPE =
      "the body must be {\\\"projectId\\\": \\\"<uuid>\\\"}";
  static final Set<UUID> built = ConcurrentHashMap.newKeySet();
  static GatewayFixture gw;
  static UUID project;

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig config =
        GatewayConfig.fromEnv(Map.of("GATEWAY_PORT", "0", "GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN));
    gw =
        GatewayFixture.start(
            config,
            b ->
                b.snapshots(
                        id -> {
                          built.add(id);
                          return new SnapshotLocation("https://s3/" + id + "/3.zip", "ab12", 3);
                        })
                    .serviceSnapshots(
                        id -> {
                          built.add(id);
                          return new ServiceSnapshot(
                              "https://s3/" + id + "/3.zip?sig=1",
                              new SnapshotManifest(id.toString(), 3, 0, 0, "ab12", List.of()));
                        }));
    project = gw.newProject();
    gw.write(project, "a.ts", "v1");
    gw.write(project, "b.ts", "v2");
    gw.write(project, "c.ts", "v3");
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void basicSchemeIsNotABearerToken() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(gw.events(project))
                .header("Authorization", "Basic " + b64("user:" + gw.session(project).token()))
                .GET());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValue("Bearer error=\"invalid_token\"");
    assertThat(r.body())
        .isEqualTo(
            body("unauthorized", "an Authorization: Bearer <session token> header is required"));
  }

  @Test
  void unsignedAlgNoneTokenIsRefused() throws Exception {
    String[] real = gw.session(project).token().split("\\.");
    String header = b64url("{\"alg\":\"none\",\"kid\":\"test-key\",\"typ\":\"JWT\"}");
    for (String forged : List.of(header + "." + real[1] + ".", header + "." + real[1] + ".x")) {
      try (SseClient sse = SseClient.open(gw.events(project), forged, "0")) {
        assertThat(sse.status()).as(forged).isEqualTo(401);
        assertThat(sse.errorBody())
            .as(forged)
            .isEqualTo(body("unauthorized", "token algorithm \\\"none\\\" not allowed"));
      }
    }
  }

  @Test
  void tokenWithAnUnknownKeyIdIsRefused() throws Exception {
    String[] real = gw.session(project).token().split("\\.");
    String header = b64url("{\"alg\":\"EdDSA\",\"kid\":\"someone-else\"}");
    try (SseClient sse =
        SseClient.open(gw.events(project), header + "." + real[1] + "." + real[2], "0")) {
      assertThat(sse.status()).isEqualTo(401);
      // the attacker's kid is not echoed back
      assertThat(sse.errorBody()).isEqualTo(body("unauthorized", "token key id is not known"));
    }
  }

  @Test
  void lastEventIdWinsOverADisagreeingSinceParameter() throws Exception {
    GatewayFixture.Session s = gw.session(project);
    try (SseClient sse =
        SseClient.open(gw.uri("/v1/projects/" + project + "/events?since=0"), s.token(), "2")) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.next(WAIT).revision()).isEqualTo(3);
    }
  }

  @Test
  void malformedSinceParameterIs400() throws Exception {
    for (String bad : List.of("abc", "-5", "0x10", "1e3")) {
      HttpResponse<String> r =
          get("/v1/projects/" + project + "/events?since=" + bad, gw.session(project).token());
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body())
          .as(bad)
          .isEqualTo(
              body(
                  "bad_request",
                  "since must be a non-negative integer revision, got '" + bad + "'"));
    }
  }

  @Test
  void hugeLastEventIdIsRefusedWithATruncatedEcho() throws Exception {
    String huge = "9".repeat(5_000);
    try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), huge)) {
      assertThat(sse.status()).isEqualTo(400);
      assertThat(sse.errorBody())
          .isEqualTo(
              body(
                  "bad_request",
                  "Last-Event-ID must be a non-negative integer revision, got '"
                      + "9".repeat(40)
                      + "…'"));
    }
  }

  @Test
  void a64KibAuthorizationHeaderIs431AndTheGatewayKeepsServing() throws Exception {
    String reply =
        raw(
            "GET /v1/projects/"
                + project
                + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + "A".repeat(64 * 1024)
                + "\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 431 ");
    assertThat(reply)
        .endsWith(body("headers_too_large", "the request line or headers are too large"));
    assertStillServing();
  }

  @Test
  void aHugeRequestLineIs431() throws Exception {
    String reply = raw("GET /v1/projects/" + "x".repeat(8_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 431 ");
    assertThat(reply)
        .endsWith(body("headers_too_large", "the request line or headers are too large"));
    assertStillServing();
  }

  @Test
  void garbageInsteadOfHttpIs400() throws Exception {
    String reply = raw("\u0001\u0002 not http at all\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 400 ");
    assertThat(reply).endsWith(body("bad_request", "malformed HTTP request"));
    assertStillServing();
  }

  @Test
  void anAckBodyOverTheLimitIs413AndNothingIsWritten() throws Exception {
    GatewayFixture.Session s = gw.session(project);
    String json = "{\"revision\":1,\"pad\":\"" + "p".repeat(70 * 1024) + "\"}";
    String reply =
        raw(
            "POST /v1/projects/"
                + project
                + "/acks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + s.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length()
                + "\r\n\r\n"
                + json);
    assertThat(reply).startsWith("HTTP/1.1 413 ");
    assertThat(ackedRevision(s.uid())).isNull();
    assertStillServing();
  }

  @Test
  void deeplyNestedAckJsonIs400AndNothingIsWritten() throws Exception {
    GatewayFixture.Session s = gw.session(project);
    String json = "[".repeat(5_000) + "]".repeat(5_000);
    HttpResponse<String> r = ack(project, s.token(), json);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(body("bad_request", "the body is not valid JSON"));
    HttpResponse<String> obj = ack(project, s.token(), "{\"revision\":1,\"x\":" + json + "}");
    assertThat(obj.statusCode()).isEqualTo(400);
    assertThat(obj.body()).isEqualTo(body("bad_request", "the body is not valid JSON"));
    assertThat(ackedRevision(s.uid())).isNull();
  }

  @Test
  void anAckWithAHugeRevisionIs400AndNothingIsWritten() throws Exception {
    GatewayFixture.Session s = gw.session(project);
    for (String json : List.of("{\"revision\":99999999999999999999999}", "{\"revision\":1e400}")) {
      HttpResponse<String> r = ack(project, s.token(), json);
      assertThat(r.statusCode()).as(json).isEqualTo(400);
      assertThat(r.body()).as(json).startsWith("{\"error\":\"bad_request\",\"message\":\"");
    }
    assertThat(ackedRevision(s.uid())).isNull();
  }

  @Test
  void streamsRefusedWith429LeaveTheEarlierStreamsWorking() throws Exception {
    UUID own = gw.newProject();
    GatewayFixture.Session s = gw.session(own);
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        SseClient sse = SseClient.open(gw.events(own), s.token(), "0");
        assertThat(sse.status()).isEqualTo(200);
        open.add(sse);
      }
      for (int i = 0; i < 20; i++) {
        try (SseClient extra = SseClient.open(gw.events(own), s.token(), "0")) {
          assertThat(extra.status()).isEqualTo(429);
        }
      }
      long revision = gw.write(own, "after.ts", "still flowing");
      for (SseClient sse : open) {
        SseClient.Event event = sse.next(WAIT);
        assertThat(event).isNotNull();
        assertThat(event.revision()).isEqualTo(revision);
      }
      assertThat(gw.server.openStreams(s.uid())).isEqualTo(4);
    } finally {
      for (SseClient sse : open) {
        sse.close();
      }
    }
  }

  @Test
  void malformedServiceSnapshotBodiesAre400AndBuildNothing() throws Exception {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    for (String json :
        List.of(
            "",
            "{",
            "[]",
            "null",
            "{\"projectId\":7}",
            "{\"projectId\":\"../" + project + "\"}",
            "{\"projectId\":[\"" + project + "\"]}",
            "{\"projectId\":" + deep + "}",
            deep)) {
      HttpResponse<String> r = postJson("/v1/snapshots", SERVICE_TOKEN, json);
      assertThat(r.statusCode()).as(json).isEqualTo(400);
      assertThat(r.body()).as(json).isEqualTo(body("bad_request", SNAPSHOT_SHAPE));
    }
    // the only project the bodies name (other tests build their own projects)
    assertThat(built).doesNotContain(project);
  }

  @Test
  void sessionTokenWithAGarbageBodyIsNeverAServiceToken() throws Exception {
    UUID own = gw.newProject();
    String token = gw.session(own).token();
    for (String json : List.of("", "{", "{\"projectId\":\"nope\"}")) {
      HttpResponse<String> r = postJson("/v1/snapshots", token, json);
      assertThat(r.statusCode()).as(json).isEqualTo(401);
      assertThat(r.body())
          .as(json)
          .isEqualTo(body("unauthorized", "the service token is not valid"));
    }
    HttpResponse<String> r = postJson("/v1/snapshots", token, "{\"projectId\":\"" + own + "\"}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(built).doesNotContain(own);
  }

  @Test
  void aSessionSnapshotIgnoresAHostileBodyAndAnswersForItsOwnProjectOnly() throws Exception {
    UUID own = gw.newProject();
    UUID other = gw.newProject();
    HttpResponse<String> r =
        postJson(
            "/v1/projects/" + own + "/snapshot",
            gw.session(own).token(),
            "{\"projectId\":\""
                + other
                + "\",\"x\":"
                + "[".repeat(5_000)
                + "]".repeat(5_000)
                + "}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo("{\"url\":\"https://s3/" + own + "/3.zip\",\"sha256\":\"ab12\",\"revision\":3}");
    assertThat(built).contains(own).doesNotContain(other);
  }

  private static HttpResponse<String> postJson(String path, String token, String json)
      throws Exception {
    return send(
        HttpRequest.newBuilder(gw.uri(path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json"));
  }

  private static void assertStillServing() throws Exception {
    try (SseClient sse = SseClient.open(gw.events(project), gw.session(project).token(), "2")) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.next(WAIT).revision()).isEqualTo(3);
    }
  }

  /** Sends {@code request} as raw bytes and reads the reply until the server closes or stalls. */
  private static String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gw.server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (java.io.IOException closedEarly) {
        // the server may answer and close before reading everything we send
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          reply.write(buf, 0, n);
          if (complete(reply.toString(StandardCharsets.UTF_8))) {
            break;
          }
        }
      } catch (java.net.SocketException | java.net.SocketTimeoutException end) {
        // connection reset after the reply, or keep-alive without close
      }
      return reply.toString(StandardCharsets.UTF_8);
    }
  }

  private static boolean complete(String reply) {
    int end = reply.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = reply.substring(0, end).toLowerCase();
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return false;
    }
    int eol = head.indexOf("\r\n", at);
    int length = Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
    return reply.substring(end + 4).getBytes(StandardCharsets.UTF_8).length >= length;
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return send(
        HttpRequest.newBuilder(gw.uri(path)).header("Authorization", "Bearer " + token).GET());
  }

  private static HttpResponse<String> ack(UUID id, String token, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(gw.uri("/v1/projects/" + id + "/acks"))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json"));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return SseClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64url(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Long ackedRevision(String sessionUid) throws Exception {
    try (Connection c = gw.superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select revision from preview_session_acks where session_uid = ?")) {
      ps.setString(1, sessionUid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }
}
