package dev.velocity.preview.operator.realtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.velocity.preview.operator.realtime.ServiceSnapshotProvider;
import dev.velocity.preview.operator.realtime.ServiceSnapshotProvider.ServiceSnapshot;
import dev.velocity.preview.operator.realtime.SnapshotProvider;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code POST /v1/projects/{id}/snapshot} (session token, one project) and {@code POST
 * /v1/snapshots} (orchestrators, shared service secret; never a session token).
 */
final class SnapshotEndpoints {
  private final GatewayContext gateway;
  private final SessionAuth auth;
  private final Optional<byte[]> serviceTokenDigest;

  SnapshotEndpoints(GatewayContext gateway, SessionAuth auth) {
    this.gateway = gateway;
    this.auth = auth;
    this.serviceTokenDigest = gateway.config().serviceToken().map(SnapshotEndpoints::sha256);
  }

  /** {@code POST /v1/projects/{id}/snapshot}. */
  void sessionSnapshot(ChannelHandlerContext ctx, FullHttpRequest request, UUID id, boolean keep)
      throws ApiError {
    auth.authenticate(request.headers(), id);
    SnapshotProvider provider =
        gateway
            .snapshots()
            .orElseThrow(() -> ApiError.notFound("this gateway does not serve snapshots"));
    run(ctx, keep, id, () -> provider.snapshotFor(id));
  }

  /** {@code POST /v1/snapshots}. */
  void serviceSnapshot(ChannelHandlerContext ctx, FullHttpRequest request, boolean keep)
      throws ApiError {
    if (serviceTokenDigest.isEmpty() || gateway.serviceSnapshots().isEmpty()) {
      throw ApiError.notFound("no route for POST /v1/snapshots");
    }
    String token = SessionAuth.bearer(request.headers());
    if (token == null) {
      throw ApiError.unauthorized("an Authorization: Bearer <service token> header is required");
    }
    Optional<UUID> projectId = projectIdOf(request);
    if (!MessageDigest.isEqual(sha256(token), serviceTokenDigest.get())) {
      if (projectId.isPresent() && auth.isSessionToken(token, projectId.get())) {
        throw ApiError.forbidden("a session token may not request service snapshots");
      }
      throw ApiError.unauthorized("the service token is not valid");
    }
    UUID id =
        projectId.orElseThrow(
            () -> ApiError.badRequest("the body must be {\"projectId\": \"<uuid>\"}"));
    ServiceSnapshotProvider provider = gateway.serviceSnapshots().get();
    run(
        ctx,
        keep,
        id,
        () -> {
          ServiceSnapshot snapshot = provider.serviceSnapshotFor(id);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("signedUrl", snapshot.signedUrl());
          body.put("manifest", snapshot.manifest());
          return body;
        });
  }

  private void run(ChannelHandlerContext ctx, boolean keep, UUID id, Supplier<Object> work)
      throws ApiError {
    try {
      gateway
          .snapshotWork()
          .execute(
              () -> {
                Object body;
                try {
                  body = work.get();
                } catch (RuntimeException e) {
                  HttpReplies.error(ctx, keep, SnapshotFailures.toApiError(id, e));
                  return;
                }
                HttpReplies.json(ctx, keep, HttpResponseStatus.OK, body);
              });
    } catch (RuntimeException rejected) {
      throw ApiError.unavailable("the gateway is shutting down");
    }
  }

  private static Optional<UUID> projectIdOf(FullHttpRequest request) {
    try {
      JsonNode body = JsonBodies.read(request);
      JsonNode id = body.get("projectId");
      if (id == null || !id.isTextual()) {
        return Optional.empty();
      }
      return Optional.of(UUID.fromString(id.textValue()));
    } catch (ApiError | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
