package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.protocol.EventJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes complete (non-streaming) HTTP answers: JSON bodies, error bodies, plain text. */
final class HttpReplies {
  private static final String JSON = "application/json";

  private HttpReplies() {}

  /** {@code value} as JSON with {@code status}. */
  static void json(
      ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object value) {
    send(ctx, keepAlive, status, JSON, EventJson.write(value).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"error": …, "message": …}} with the error's status. */
  static void error(ChannelHandlerContext ctx, boolean keepAlive, ApiError error) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error.code());
    body.put("message", error.getMessage());
    FullHttpResponse response =
        response(error.status(), JSON, EventJson.write(body).getBytes(StandardCharsets.UTF_8));
    if (error.status().code() == 401) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
    }
    write(ctx, keepAlive, response);
  }

  /** {@code body} with {@code status} and {@code contentType}. */
  static void send(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      HttpResponseStatus status,
      String contentType,
      byte[] body) {
    write(ctx, keepAlive, response(status, contentType, body));
  }

  private static FullHttpResponse response(
      HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    HttpUtil.setContentLength(response, body.length);
    return response;
  }

  private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
    HttpUtil.setKeepAlive(r, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(r, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
