package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMinter;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refusal of the stream, ack and snapshot endpoints: status and exact JSON body. */
class AuthErrorsIT {
  static GatewayFixture gw;
  static UUID project;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start();
    project = gw.newProject();
    gw.write(project, "f.ts", "v1");
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void missingTokenIs401WithABearerChallenge() throws Exception {
    try (SseClient sse = SseClient.open(gw.events(project), null, "0")) {
      assertThat(sse.status()).isEqualTo(401);
      assertThat(sse.header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
      assertThat(sse.errorBody())
          .isEqualTo(
              "{\"error\":\"unauthorized\",\"message\":\"an Authorization: Bearer <session token>"
                  + " header is required\"}");
    }
  }

  @Test
  void malformedTokenIs401() throws Exception {
    assertRefused("not-a-jwt", 401, "unauthorized", "token is malformed");
  }

  @Test
  void tokenSignedByAnotherKeyIs401() throws Exception {
    // same kid as the gateway's key, different key pair: only the signature can tell
    TokenMinter forger = new TokenMinter(gw.tokenConfig, TokenKeys.generate("test-key"));
    String forged = forger.mint(UUID.randomUUID().toString(), "ns", "n", project).token();
    assertRefused(forged, 401, "unauthorized", "token signature is invalid");
  }

  @Test
  void expiredTokenIs401() throws Exception {
    GatewayFixture.Session s = gw.expiringSession(project, Duration.ofSeconds(-60));
    assertRefused(s.token(), 401, "unauthorized", "token expired");
  }

  @Test
  void tokenOfAnotherProjectIs403OnEveryEndpoint() throws Exception {
    UUID other = gw.newProject();
    GatewayFixture.Session s = gw.session(other);
    String message = "token is for another project than " + project;
    assertRefused(s.token(), 403, "forbidden", message);
    HttpResponse<String> ack =
        post("/v1/projects/" + project + "/acks", s.token(), "{\"revision\":1}");
    assertThat(ack.statusCode()).isEqualTo(403);
    assertThat(ack.body()).isEqualTo(body("forbidden", message));
    HttpResponse<String> snap = post("/v1/projects/" + project + "/snapshot", s.token(), "");
    assertThat(snap.statusCode()).isEqualTo(403);
    assertThat(snap.body()).isEqualTo(body("forbidden", message));
  }

  @Test
  void revokedSessionIs401() throws Exception {
    GatewayFixture.Session s = gw.session(project);
    gw.sessions.revoke(s.uid());
    assertRefused(
        s.token(),
        401,
        "unauthorized",
        "session previews/s-" + s.uid().substring(0, 8) + " is no longer active");
  }

  @Test
  void unknownProjectIs404() throws Exception {
    UUID missing = UUID.randomUUID();
    GatewayFixture.Session s = gw.session(missing);
    try (SseClient sse = SseClient.open(gw.events(missing), s.token(), "0")) {
      assertThat(sse.status()).isEqualTo(404);
      assertThat(sse.errorBody())
          .isEqualTo(body("not_found", "project " + missing + " does not exist"));
    }
  }

  @Test
  void streamsBeyondThePerSessionLimitAre429() throws Exception {
    GatewayFixture.Session s = gw.session(project);
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        SseClient sse = SseClient.open(gw.events(project), s.token(), "0");
        assertThat(sse.status()).isEqualTo(200);
        open.add(sse);
      }
      try (SseClient fifth = SseClient.open(gw.events(project), s.token(), "0")) {
        assertThat(fifth.status()).isEqualTo(429);
        assertThat(fifth.errorBody())
            .isEqualTo(
                body(
                    "too_many_streams",
                    "session previews/s-"
                        + s.uid().substring(0, 8)
                        + " already has 4 open streams"));
      }
      // another session is not affected
      try (SseClient other = SseClient.open(gw.events(project), gw.session(project).token(), "0")) {
        assertThat(other.status()).isEqualTo(200);
      }
      open.remove(0).close();
      await().atMost(Duration.ofSeconds(5)).until(() -> gw.server.openStreams(s.uid()) == 3);
      try (SseClient again = SseClient.open(gw.events(project), s.token(), "0")) {
        assertThat(again.status()).isEqualTo(200);
      }
    } finally {
      for (SseClient sse : open) {
        sse.close();
      }
    }
  }

  @Test
  void projectIdThatIsNotAUuidIs400() throws Exception {
    HttpResponse<String> r = get("/v1/projects/not-a-uuid/events", gw.session(project).token());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(body("bad_request", "the project id must be a UUID, got 'not-a-uuid'"));
  }

  @Test
  void unknownRoutesAre404AndWrongMethodsAre405() throws Exception {
    HttpResponse<String> unknown = get("/v1/nothing", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo(body("not_found", "no route for GET /v1/nothing"));
    HttpResponse<String> wrong = post("/v1/projects/" + project + "/events", null, "");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.body())
        .isEqualTo(body("method_not_allowed", "this resource only accepts GET"));
  }

  @Test
  void oversizedHeadersAre431AndTheConnectionIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gw.server.port())) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("GET /v1/projects/"
                      + project
                      + "/events HTTP/1.1\r\nHost: gw\r\n"
                      + "Authorization: Bearer "
                      + "x".repeat(20_000)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      // the decoder cannot recover: the answer is followed by the end of the connection
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
      assertThat(answer)
          .endsWith(body("headers_too_large", "the request line or headers are too large"));
    }
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/projects/" + project + "/acks",
            gw.session(project).token(),
            "{\"revision\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}");
    assertThat(r.statusCode()).isEqualTo(413);
  }

  private static void assertRefused(String token, int status, String error, String message)
      throws Exception {
    try (SseClient sse = SseClient.open(gw.events(project), token, "0")) {
      assertThat(sse.status()).isEqualTo(status);
      assertThat(sse.errorBody()).isEqualTo(body(error, message));
    }
  }

  static String body(String error, String message) {
    return "{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}";
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return SseClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String token, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gw.uri(path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return SseClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
