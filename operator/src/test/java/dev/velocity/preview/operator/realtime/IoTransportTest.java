package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;

class IoTransportTest {

  @Test
  void autoTakesEpollWhereItLoadsAndNioElsewhere() {
    IoTransport available = IoTransport.choose(GatewayTransport.AUTO, true, null);
    assertThat(available.name()).isEqualTo("epoll");
    assertThat(available.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    IoTransport missing =
        IoTransport.choose(GatewayTransport.AUTO, false, new UnsatisfiedLinkError("no lib"));
    assertThat(missing.name()).isEqualTo("nio");
    assertThat(missing.serverChannel()).isEqualTo(NioServerSocketChannel.class);
  }

  @Test
  void nioIsTakenEvenWhereEpollLoads() {
    IoTransport nio = IoTransport.choose(GatewayTransport.NIO, true, null);
    assertThat(nio.name()).isEqualTo("nio");
    assertThat(nio.serverChannel()).isEqualTo(NioServerSocketChannel.class);
  }

  @Test
  void aRequiredEpollThatCannotLoadFailsNamingTheVariableAndTheCause() {
    UnsatisfiedLinkError cause =
        new UnsatisfiedLinkError("libnetty_transport_native_epoll missing");
    assertThatThrownBy(() -> IoTransport.choose(GatewayTransport.EPOLL, false, cause))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "GATEWAY_TRANSPORT=epoll but the native epoll transport is unavailable here:"
                + " libnetty_transport_native_epoll missing")
        .hasCause(cause);
  }

  @Test
  void theNativeLibraryLoadsOnLinuxX8664() {
    assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the packaged native library is for Linux x86-64");
    assertThat(Epoll.unavailabilityCause()).isNull();
    assertThat(IoTransport.choose(GatewayTransport.EPOLL).name()).isEqualTo("epoll");
  }
}
