package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.token.SessionClaims;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/projects/{id}/events}: checks the request (revision, token, session, stream limit,
 * project) and opens an {@link EventStream}.
 */
final class EventsEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);
  static final AttributeKey<EventStream> STREAM = AttributeKey.valueOf("preview.eventStream");
  private static final Pattern REVISION = Pattern.compile("[0-9]{1,18}");

  private final GatewayContext gateway;
  private final SessionAuth auth;
  private final StreamRegistry streams;

  EventsEndpoint(GatewayContext gateway, SessionAuth auth, StreamRegistry streams) {
    this.gateway = gateway;
    this.auth = auth;
    this.streams = streams;
  }

  void open(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, UUID id)
      throws ApiError {
    OptionalLong since = since(request, query);
    SessionClaims claims = auth.authenticate(request.headers(), id);
    String uid = claims.sessionUid();
    if (!streams.reserve(uid)) {
      throw new ApiError(
          HttpResponseStatus.TOO_MANY_REQUESTS,
          "too_many_streams",
          "session "
              + claims.session()
              + " already has "
              + streams.maxPerSession()
              + " open streams");
    }
    try {
      gateway.database().execute(() -> lookUpAndStart(ctx, claims, since));
    } catch (RuntimeException rejected) {
      streams.release(uid, null);
      throw ApiError.unavailable("the gateway is shutting down");
    }
  }

  private void lookUpAndStart(ChannelHandlerContext ctx, SessionClaims claims, OptionalLong since) {
    OptionalLong revision;
    try {
      revision = gateway.changeLog().projectRevision(claims.projectId());
    } catch (SQLException e) {
      LOG.warn("looking up project {} failed: {}", claims.projectId(), e.getMessage());
      refuse(ctx, claims, ApiError.unavailable("the database is unavailable; retry later"));
      return;
    }
    ctx.executor().execute(() -> start(ctx, claims, since, revision));
  }

  private void start(
      ChannelHandlerContext ctx, SessionClaims claims, OptionalLong since, OptionalLong revision) {
    if (!ctx.channel().isActive()) {
      streams.release(claims.sessionUid(), null);
      return;
    }
    if (revision.isEmpty()) {
      refuse(ctx, claims, ApiError.notFound("project " + claims.projectId() + " does not exist"));
      return;
    }
    if (!gateway.sessions().isLive(claims.sessionUid())) {
      refuse(
          ctx,
          claims,
          ApiError.unauthorized("session " + claims.session() + " is no longer active"));
      return;
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
        .set("X-Accel-Buffering", "no");
    ctx.writeAndFlush(head, ctx.voidPromise());
    if (ctx.pipeline().get(GatewayChannels.IDLE_GUARD) != null) {
      ctx.pipeline().remove(GatewayChannels.IDLE_GUARD);
    }
    long current = revision.getAsLong();
    EventStream stream =
        new EventStream(gateway, streams, ctx.channel(), claims, since.orElse(current), current);
    ctx.channel().attr(STREAM).set(stream);
    stream.start();
  }

  private void refuse(ChannelHandlerContext ctx, SessionClaims claims, ApiError error) {
    streams.release(claims.sessionUid(), null);
    HttpReplies.error(ctx, false, error);
  }

  /** {@code Last-Event-ID} (preferred, as browsers send it on reconnect) or {@code ?since=}. */
  static OptionalLong since(FullHttpRequest request, QueryStringDecoder query) throws ApiError {
    String header = request.headers().get("Last-Event-ID");
    if (header != null) {
      return OptionalLong.of(parse("Last-Event-ID", header));
    }
    List<String> values = query.parameters().get("since");
    if (values != null && !values.isEmpty()) {
      return OptionalLong.of(parse("since", values.get(0)));
    }
    return OptionalLong.empty();
  }

  private static long parse(String name, String value) throws ApiError {
    String trimmed = value.trim();
    if (!REVISION.matcher(trimmed).matches()) {
      throw ApiError.badRequest(
          name + " must be a non-negative integer revision, got '" + printable(value) + "'");
    }
    return Long.parseLong(trimmed);
  }

  private static String printable(String value) {
    String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }
}
