package dev.velocity.preview.operator.realtime;

import static dev.velocity.preview.operator.realtime.AuthErrorsIT.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/projects/{id}/acks}: one row per session, never going backwards. */
class AcksIT {
  static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  record Row(UUID projectId, long revision, Timestamp ackedAt) {}

  @Test
  void acksAreStoredPerSessionAndNeverGoBackwards() throws Exception {
    UUID project = gw.newProject();
    for (int i = 0; i < 5; i++) {
      gw.write(project, "f.ts", "v" + i);
    }
    GatewayFixture.Session s = gw.session(project);
    HttpResponse<String> first = ack(project, s.token(), "{\"revision\":3}");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("{\"revision\":3}");
    Row stored = row(s.uid());
    assertThat(stored.projectId()).isEqualTo(project);
    assertThat(stored.revision()).isEqualTo(3);

    Thread.sleep(5);
    HttpResponse<String> older = ack(project, s.token(), "{\"revision\":2}");
    assertThat(older.statusCode()).isEqualTo(200);
    assertThat(older.body()).isEqualTo("{\"revision\":3}");
    Row after = row(s.uid());
    assertThat(after.revision()).isEqualTo(3);
    assertThat(after.ackedAt()).isAfter(stored.ackedAt());

    assertThat(ack(project, s.token(), "{\"revision\":5}").body()).isEqualTo("{\"revision\":5}");
    assertThat(row(s.uid()).revision()).isEqualTo(5);

    // another session of the same project has its own row
    GatewayFixture.Session other = gw.session(project);
    assertThat(ack(project, other.token(), "{\"revision\":1}").body())
        .isEqualTo("{\"revision\":1}");
    assertThat(row(other.uid()).revision()).isEqualTo(1);
    assertThat(row(s.uid()).revision()).isEqualTo(5);
  }

  @Test
  void aRevisionBeyondTheProjectIsRefusedAndNothingIsWritten() throws Exception {
    UUID project = gw.newProject();
    gw.write(project, "f.ts", "v");
    GatewayFixture.Session s = gw.session(project);
    HttpResponse<String> r = ack(project, s.token(), "{\"revision\":2}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(body("bad_request", "revision 2 is newer than the project's revision 1"));
    assertThat(row(s.uid())).isNull();
  }

  @Test
  void malformedBodiesAreRefusedWith400() throws Exception {
    UUID project = gw.newProject();
    GatewayFixture.Session s = gw.session(project);
    String shape = "the body must be {\\\"revision\\\": <non-negative integer>}";
    assertRefused(project, s, "", "a JSON body is required");
    assertRefused(project, s, "{", "the body is not valid JSON");
    assertRefused(project, s, "[1]", "the body must be a JSON object");
    assertRefused(project, s, "{}", shape);
    assertRefused(project, s, "{\"revision\":-1}", shape);
    assertRefused(project, s, "{\"revision\":\"1\"}", shape);
    assertRefused(project, s, "{\"revision\":1.5}", shape);
    assertThat(row(s.uid())).isNull();
  }

  @Test
  void acksForAMissingProjectAre404() throws Exception {
    UUID missing = UUID.randomUUID();
    GatewayFixture.Session s = gw.session(missing);
    HttpResponse<String> r = ack(missing, s.token(), "{\"revision\":0}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo(body("not_found", "project " + missing + " does not exist"));
    assertThat(row(s.uid())).isNull();
  }

  private static void assertRefused(
      UUID project, GatewayFixture.Session s, String json, String message) throws Exception {
    HttpResponse<String> r = ack(project, s.token(), json);
    assertThat(r.statusCode()).as(json).isEqualTo(400);
    assertThat(r.body()).as(json).isEqualTo(body("bad_request", message));
  }

  static HttpResponse<String> ack(UUID project, String token, String json) throws Exception {
    return SseClient.HTTP.send(
        HttpRequest.newBuilder(gw.uri("/v1/projects/" + project + "/acks"))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Row row(String sessionUid) throws Exception {
    try (Connection c = gw.superuser.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select project_id, revision, acked_at from preview_session_acks"
                    + " where session_uid = ?")) {
      ps.setString(1, sessionUid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new Row(rs.getObject(1, UUID.class), rs.getLong(2), rs.getTimestamp(3))
            : null;
      }
    }
  }
}
