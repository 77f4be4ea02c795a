package dev.velocity.preview.operator.realtime;

import static dev.velocity.preview.operator.realtime.AuthErrorsIT.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.operator.realtime.ServiceSnapshotProvider.ServiceSnapshot;
import dev.velocity.preview.operator.snapshot.SnapshotException;
import dev.velocity.preview.protocol.SnapshotLocation;
import dev.velocity.preview.protocol.SnapshotManifest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/projects/{id}/snapshot} with a session token and {@code POST /v1/snapshots} with
 * the service secret (never a session token). The providers are hand-written fakes recording their
 * calls: the builder behind them is tested by the snapshot module.
 */
class SnapshotEndpointsIT {
  static final String SERVICE_TOKEN = "svc-0123456789abcdef-secret";
  static GatewayFixture gw;
  static final Set<UUID> built = ConcurrentHashMap.newKeySet();
  static volatile UUID failing;
  static volatile SnapshotException.Reason failingReason;

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
                          if (id.equals(failing)) {
                            if (failingReason != null) {
                              throw new SnapshotException(
                                  failingReason, "s3.internal:9000 said no", null);
                            }
                            throw new IllegalStateException(
                                "storage endpoint s3.internal:9000 down");
                          }
                          built.add(id);
                          return new SnapshotLocation("https://s3/" + id + "/7.zip", "ab12", 7);
                        })
                    .serviceSnapshots(
                        id -> {
                          built.add(id);
                          return new ServiceSnapshot(
                              "https://s3/" + id + "/7.zip?sig=1",
                              new SnapshotManifest(
                                  id.toString(),
                                  7,
                                  1,
                                  5,
                                  "ab12",
                                  List.of(new SnapshotManifest.Entry("a.ts", 2, "cd34", 5))));
                        }));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void sessionSnapshotAnswersUrlShaAndRevision() throws Exception {
    UUID project = gw.newProject();
    HttpResponse<String> r =
        post("/v1/projects/" + project + "/snapshot", gw.session(project).token(), "");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "{\"url\":\"https://s3/" + project + "/7.zip\",\"sha256\":\"ab12\",\"revision\":7}");
    assertThat(built).contains(project);
  }

  @Test
  void aFailedBuildIs503WithoutInternalDetails() throws Exception {
    UUID project = gw.newProject();
    failing = project;
    failingReason = null;
    HttpResponse<String> r =
        post("/v1/projects/" + project + "/snapshot", gw.session(project).token(), "");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .isEqualTo(body("unavailable", "the snapshot could not be built; retry later"));
  }

  @Test
  void snapshotFailuresMapToStatusesByReason() throws Exception {
    UUID project = gw.newProject();
    String token = gw.session(project).token();
    failing = project;
    try {
      failingReason = SnapshotException.Reason.PROJECT_NOT_FOUND;
      HttpResponse<String> missing = post("/v1/projects/" + project + "/snapshot", token, "");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body())
          .isEqualTo(body("not_found", "project " + project + " does not exist"));
      failingReason = SnapshotException.Reason.STORAGE_UNAVAILABLE;
      HttpResponse<String> down = post("/v1/projects/" + project + "/snapshot", token, "");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body())
          .isEqualTo(body("unavailable", "the snapshot could not be built; retry later"));
      failingReason = SnapshotException.Reason.STORAGE_DENIED;
      HttpResponse<String> denied = post("/v1/projects/" + project + "/snapshot", token, "");
      assertThat(denied.statusCode()).isEqualTo(500);
      assertThat(denied.body())
          .isEqualTo(
              body(
                  "snapshot_failed",
                  "the snapshot could not be built; the operator's log has the cause"));
    } finally {
      failingReason = null;
      failing = null;
    }
  }

  @Test
  void serviceSnapshotAnswersSignedUrlAndManifest() throws Exception {
    UUID project = gw.newProject();
    HttpResponse<String> r =
        post("/v1/snapshots", SERVICE_TOKEN, "{\"projectId\":\"" + project + "\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "{\"signedUrl\":\"https://s3/"
                + project
                + "/7.zip?sig=1\",\"manifest\":{\"projectId\":\""
                + project
                + "\",\"revision\":7,\"fileCount\":1,\"bytes\":5,\"sha256\":\"ab12\","
                + "\"files\":[{\"path\":\"a.ts\",\"version\":2,\"sha256\":\"cd34\",\"size\":5}]}}");
  }

  @Test
  void serviceSnapshotRefusesEverythingButTheServiceToken() throws Exception {
    UUID project = gw.newProject();
    String json = "{\"projectId\":\"" + project + "\"}";
    HttpResponse<String> none = post("/v1/snapshots", null, json);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body())
        .isEqualTo(
            body("unauthorized", "an Authorization: Bearer <service token> header is required"));
    HttpResponse<String> wrong = post("/v1/snapshots", SERVICE_TOKEN + "x", json);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(body("unauthorized", "the service token is not valid"));
    HttpResponse<String> session = post("/v1/snapshots", gw.session(project).token(), json);
    assertThat(session.statusCode()).isEqualTo(403);
    assertThat(session.body())
        .isEqualTo(body("forbidden", "a session token may not request service snapshots"));
    HttpResponse<String> otherSession =
        post("/v1/snapshots", gw.session(UUID.randomUUID()).token(), json);
    assertThat(otherSession.statusCode()).isEqualTo(403);
    assertThat(built).doesNotContain(project);
  }

  @Test
  void serviceSnapshotNeedsAProjectId() throws Exception {
    HttpResponse<String> r = post("/v1/snapshots", SERVICE_TOKEN, "{\"projectId\":\"nope\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(body("bad_request", "the body must be {\\\"projectId\\\": \\\"<uuid>\\\"}"));
  }

  @Test
  void withoutAServiceTokenTheServiceEndpointDoesNotExist() throws Exception {
    GatewayConfig plain = GatewayConfig.defaults();
    try (GatewayServer other =
        GatewayServer.builder(plain, gw.pool, gw.verifier).serviceSnapshots(id -> null).build()) {
      other.start();
      HttpResponse<String> r =
          SseClient.HTTP.send(
              HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + other.port() + "/v1/snapshots"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .header("Authorization", "Bearer anything-at-all-here")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).isEqualTo(body("not_found", "no route for POST /v1/snapshots"));
    }
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
