package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.realtime.GatewayMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes the gateway's HTTP API (DESIGN.md §6) to its endpoints. One instance serves all. */
@Sharable
final class GatewayHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHttpHandler.class);
  private static final String PROJECTS = "/v1/projects/";

  private final GatewayContext gateway;
  private final EventsEndpoint events;
  private final SnapshotEndpoints snapshots;
  private final AckEndpoint acks;

  GatewayHttpHandler(GatewayContext gateway, StreamRegistry streams) {
    this.gateway = gateway;
    SessionAuth auth = new SessionAuth(gateway.verifier(), gateway.sessions());
    this.events = new EventsEndpoint(gateway, auth, streams);
    this.snapshots = new SnapshotEndpoints(gateway, auth);
    this.acks = new AckEndpoint(gateway, auth);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (ctx.channel().hasAttr(EventsEndpoint.STREAM)) {
      return; // a streaming connection carries no further requests
    }
    if (!request.decoderResult().isSuccess()) {
      // the decoder stays in its failed state: answer, then close the connection
      HttpReplies.error(ctx, false, badRequestFor(request.decoderResult().cause()));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    try {
      route(ctx, request, keepAlive);
    } catch (ApiError e) {
      HttpReplies.error(ctx, keepAlive && e.status().code() < 500, e);
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest request, boolean keep)
      throws ApiError {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    HttpMethod method = request.method();
    switch (path) {
      case "/healthz" -> {
        require(method, HttpMethod.GET);
        HttpReplies.json(ctx, keep, HttpResponseStatus.OK, Map.of("status", "ok"));
      }
      case "/readyz" -> {
        require(method, HttpMethod.GET);
        if (!gateway.ready().getAsBoolean()) {
          throw ApiError.unavailable("the gateway is not listening to the database");
        }
        HttpReplies.json(ctx, keep, HttpResponseStatus.OK, Map.of("status", "ready"));
      }
      case "/metrics" -> {
        require(method, HttpMethod.GET);
        HttpReplies.send(
            ctx,
            keep,
            HttpResponseStatus.OK,
            GatewayMetrics.contentType(),
            gateway.metrics().scrape());
      }
      case "/v1/snapshots" -> {
        require(method, HttpMethod.POST);
        snapshots.serviceSnapshot(ctx, request, keep);
      }
      default -> routeProject(ctx, request, query, path, keep);
    }
  }

  private void routeProject(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      QueryStringDecoder query,
      String path,
      boolean keep)
      throws ApiError {
    if (!path.startsWith(PROJECTS)) {
      throw ApiError.notFound("no route for " + request.method() + " " + path);
    }
    String[] parts = path.substring(PROJECTS.length()).split("/", -1);
    if (parts.length != 2) {
      throw ApiError.notFound("no route for " + request.method() + " " + path);
    }
    UUID id = projectId(parts[0]);
    switch (parts[1]) {
      case "events" -> {
        require(request.method(), HttpMethod.GET);
        events.open(ctx, request, query, id);
      }
      case "snapshot" -> {
        require(request.method(), HttpMethod.POST);
        snapshots.sessionSnapshot(ctx, request, id, keep);
      }
      case "acks" -> {
        require(request.method(), HttpMethod.POST);
        acks.ack(ctx, request, id, keep);
      }
      default -> throw ApiError.notFound("no route for " + request.method() + " " + path);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    EventStream stream = ctx.channel().attr(EventsEndpoint.STREAM).get();
    if (stream != null) {
      stream.onWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent && !ctx.channel().hasAttr(EventsEndpoint.STREAM)) {
      // a connection that sends nothing holds a socket and a buffer; a stream is exempt
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
    } else {
      LOG.warn("closing connection {} after an error", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  private static UUID projectId(String text) throws ApiError {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiError.badRequest("the project id must be a UUID, got '" + abbreviate(text) + "'");
  }

  private static String abbreviate(String text) {
    return (text.length() > 40 ? text.substring(0, 40) + "…" : text)
        .replaceAll("[\\p{Cntrl}]", "?");
  }

  private static void require(HttpMethod actual, HttpMethod expected) throws ApiError {
    if (!expected.equals(actual)) {
      throw new ApiError(
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method_not_allowed",
          "this resource only accepts " + expected);
    }
  }

  private static ApiError badRequestFor(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      return new ApiError(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "headers_too_large",
          "the request line or headers are too large");
    }
    return ApiError.badRequest("malformed HTTP request");
  }
}
