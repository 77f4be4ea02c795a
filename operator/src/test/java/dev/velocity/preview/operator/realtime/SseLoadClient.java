package dev.velocity.preview.operator.realtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A light SSE client for many concurrent streams (tests and benchmarks): Netty, no per-stream
 * thread, parses only {@code id:} lines and comments, and records each revision's arrival time.
 */
public final class SseLoadClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;

  /** A client with {@code threads} event loop threads. */
  public SseLoadClient(int threads) {
    group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("sse-load", true), NioIoHandler.newFactory());
    bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
  }

  /**
   * Opens {@code path} on {@code port} of 127.0.0.1 with a bearer token and a Last-Event-ID of
   * {@code since}; arrival times are kept for revisions {@code since+1 .. since+capacity}.
   */
  public Stream open(int port, String path, String token, long since, int capacity) {
    Stream stream = new Stream(since, capacity);
    bootstrap
        .clone()
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(stream.handler());
              }
            })
        .connect("127.0.0.1", port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                stream.fail("connect: " + f.cause());
                return;
              }
              Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
              stream.channel = ch;
              String request =
                  "GET "
                      + path
                      + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + port
                      + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                      + token
                      + "\r\nLast-Event-ID: "
                      + since
                      + "\r\n\r\n";
              ch.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
            });
    return stream;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One stream's progress. Fields are written by its event loop and read by the test. */
  public static final class Stream {
    private final long since;
    private final long[] arrivals;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final byte[] line = new byte[64];
    private int lineLength;
    private volatile long target = Long.MAX_VALUE;
    private volatile CountDownLatch reached = new CountDownLatch(1);
    volatile Channel channel;
    volatile int status;
    volatile long lastId;
    volatile long count;
    volatile long outOfOrder;
    volatile boolean overflowed;
    volatile String failure;

    Stream(long since, int capacity) {
      this.since = since;
      this.lastId = since;
      this.arrivals = new long[capacity];
    }

    /** The HTTP status (0 until the head arrived). */
    public int status() {
      return status;
    }

    /** The last revision received. */
    public long lastId() {
      return lastId;
    }

    /** Events received. */
    public long count() {
      return count;
    }

    /** Events whose revision was not the previous one plus one. */
    public long outOfOrder() {
      return outOfOrder;
    }

    /** {@code System.nanoTime()} when {@code revision} arrived, or 0. */
    public long arrivalNanos(long revision) {
      int i = (int) (revision - since - 1);
      return i >= 0 && i < arrivals.length ? arrivals[i] : 0;
    }

    /** True when the server closed the stream with an overflow comment. */
    public boolean overflowed() {
      return overflowed;
    }

    /** Waits until {@code revision} arrived; false on timeout. */
    public boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
      CountDownLatch latch;
      synchronized (this) {
        if (lastId >= revision) {
          return true;
        }
        target = revision;
        latch = reached = new CountDownLatch(1);
      }
      return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || lastId >= revision;
    }

    /** Waits for the end of the stream. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the connection. */
    public void close() {
      Channel ch = channel;
      if (ch != null) {
        ch.close();
      }
    }

    void fail(String why) {
      failure = why;
      ended.countDown();
      reached.countDown();
    }

    /**
     * Reads the raw response: the status line, then {@code id:} lines and comments. Chunk-size
     * lines and the chunks' CRLF never look like either, and the gateway never splits a line across
     * chunks, so no HTTP decoder is needed (it would cost more than the gateway's own work).
     */
    SimpleChannelInboundHandler<ByteBuf> handler() {
      return new SimpleChannelInboundHandler<>() {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
          parse(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
          ended.countDown();
          reached.countDown();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
          fail(cause.toString());
          ctx.close();
        }
      };
    }

    private void parse(ByteBuf buf) {
      buf.forEachByte(parser);
    }

    private final ByteProcessor parser =
        b -> {
          if (b == '\n') {
            endOfLine();
            lineLength = 0;
          } else if (lineLength < line.length) {
            line[lineLength++] = b;
          }
          return true;
        };

    private void endOfLine() {
      if (status == 0) {
        // "HTTP/1.1 200 OK"
        if (lineLength >= 12) {
          status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        }
        return;
      }
      if (lineLength > 4 && line[0] == 'i' && line[1] == 'd' && line[2] == ':' && line[3] == ' ') {
        long id = 0;
        for (int i = 4; i < lineLength && line[i] >= '0' && line[i] <= '9'; i++) {
          id = id * 10 + (line[i] - '0');
        }
        onId(id);
      } else if (lineLength >= 10 && new String(line, 0, 10).equals(": overflow")) {
        overflowed = true;
      }
    }

    private void onId(long id) {
      if (id != lastId + 1) {
        outOfOrder++;
      }
      int i = (int) (id - since - 1);
      if (i >= 0 && i < arrivals.length) {
        arrivals[i] = System.nanoTime();
      }
      count++;
      lastId = id;
      if (id >= target) {
        synchronized (this) {
          reached.countDown();
        }
      }
    }
  }
}
