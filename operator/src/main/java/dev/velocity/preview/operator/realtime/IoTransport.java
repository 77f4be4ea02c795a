package dev.velocity.preview.operator.realtime;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The Netty transport chosen for a {@link GatewayTransport} setting: the event loops' I/O handler
 * and the server channel class.
 *
 * @param name {@code epoll} or {@code nio}, for the start-up log and benchmarks
 * @param handlers the event loops' I/O handler factory
 * @param serverChannel the listening socket's channel class
 */
record IoTransport(
    String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel) {

  /** The transport for {@code wanted} on this machine. */
  static IoTransport choose(GatewayTransport wanted) {
    return choose(wanted, Epoll.isAvailable(), Epoll.unavailabilityCause());
  }

  /**
   * The transport for {@code wanted} given whether epoll is available ({@code cause}: why not).
   *
   * @throws IllegalStateException when epoll is required but unavailable
   */
  static IoTransport choose(GatewayTransport wanted, boolean epollAvailable, Throwable cause) {
    if (wanted == GatewayTransport.EPOLL && !epollAvailable) {
      throw new IllegalStateException(
          "GATEWAY_TRANSPORT=epoll but the native epoll transport is unavailable here: "
              + (cause == null ? "unknown reason" : cause.getMessage()),
          cause);
    }
    if (wanted != GatewayTransport.NIO && epollAvailable) {
      return new IoTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
    return new IoTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
