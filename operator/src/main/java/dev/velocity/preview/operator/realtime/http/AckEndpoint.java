package dev.velocity.preview.operator.realtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.velocity.preview.operator.realtime.AckWriter;
import dev.velocity.preview.operator.token.SessionClaims;
import dev.velocity.preview.protocol.Ack;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code POST /v1/projects/{id}/acks {"revision": R}}: the session applied revision R. */
final class AckEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AckEndpoint.class);

  private final GatewayContext gateway;
  private final SessionAuth auth;

  AckEndpoint(GatewayContext gateway, SessionAuth auth) {
    this.gateway = gateway;
    this.auth = auth;
  }

  void ack(ChannelHandlerContext ctx, FullHttpRequest request, UUID id, boolean keep)
      throws ApiError {
    SessionClaims claims = auth.authenticate(request.headers(), id);
    long revision = revisionOf(JsonBodies.read(request));
    try {
      gateway.database().execute(() -> record(ctx, keep, claims, revision));
    } catch (RuntimeException rejected) {
      throw ApiError.unavailable("the gateway is shutting down");
    }
  }

  private void record(ChannelHandlerContext ctx, boolean keep, SessionClaims claims, long rev) {
    AckWriter.Result result;
    try {
      result = gateway.acks().record(claims.sessionUid(), claims.projectId(), rev);
    } catch (SQLException e) {
      try (MDC.MDCCloseable p = MDC.putCloseable("project_id", claims.projectId().toString());
          MDC.MDCCloseable s = MDC.putCloseable("session_id", claims.session())) {
        LOG.warn("recording ack {} failed: {}", rev, e.getMessage());
      }
      HttpReplies.error(ctx, keep, ApiError.unavailable("the database is unavailable; retry"));
      return;
    }
    if (result instanceof AckWriter.Stored stored) {
      HttpReplies.json(ctx, keep, HttpResponseStatus.OK, new Ack(stored.revision()));
    } else if (result instanceof AckWriter.BeyondProject beyond) {
      HttpReplies.error(
          ctx,
          keep,
          ApiError.badRequest(
              "revision "
                  + rev
                  + " is newer than the project's revision "
                  + beyond.projectRevision()));
    } else {
      HttpReplies.error(
          ctx, keep, ApiError.notFound("project " + claims.projectId() + " does not exist"));
    }
  }

  private static long revisionOf(JsonNode body) throws ApiError {
    JsonNode revision = body.get("revision");
    if (revision == null
        || !revision.isIntegralNumber()
        || !revision.canConvertToLong()
        || revision.longValue() < 0) {
      throw ApiError.badRequest("the body must be {\"revision\": <non-negative integer>}");
    }
    return revision.longValue();
  }
}
