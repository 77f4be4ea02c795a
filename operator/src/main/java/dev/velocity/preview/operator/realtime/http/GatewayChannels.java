package dev.velocity.preview.operator.realtime.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Netty pipeline (an idle guard, the HTTP/1.1 codec, a small-body aggregator, the
 * router) and its open streams, which the server closes on revocation and on stop.
 */
public final class GatewayChannels extends ChannelInitializer<SocketChannel> {
  /** Largest request body accepted (acks and snapshot requests are tiny). */
  static final int MAX_BODY_BYTES = 64 * 1024;

  /** Name of the HTTP codec in the pipeline; stream chunks are written just before it. */
  static final String HTTP_CODEC = "http";

  /** Name of the idle-connection guard, removed when a connection becomes a stream. */
  static final String IDLE_GUARD = "idle";

  private final StreamRegistry streams;
  private final GatewayHttpHandler handler;
  private final Duration idleTimeout;

  /** Channels served with {@code gateway}. */
  public GatewayChannels(GatewayContext gateway) {
    this.streams = new StreamRegistry(gateway.config().maxStreamsPerSession());
    this.handler = new GatewayHttpHandler(gateway, streams);
    this.idleTimeout = gateway.config().idleTimeout();
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    long idle = idleTimeout.toMillis();
    ch.pipeline()
        .addLast(IDLE_GUARD, new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS))
        .addLast(HTTP_CODEC, new HttpServerCodec(4096, 16 * 1024, 16 * 1024))
        .addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES))
        .addLast("gateway", handler);
  }

  /** Ends every stream of the session (it was deleted or expired). */
  public void revoke(String sessionUid) {
    streams.streamsOf(sessionUid).forEach(EventStream::revoke);
  }

  /** Ends every open stream (the gateway is stopping). */
  public void closeAll() {
    streams.all().forEach(EventStream::shutdown);
  }

  /** Open streams of a session (for tests and diagnostics). */
  public int openStreams(String sessionUid) {
    return streams.streamsOf(sessionUid).size();
  }
}
