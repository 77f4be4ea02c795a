package dev.velocity.preview.e2e.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free loopback ports for pods' container ports. A port is free when the OS gives it for
 * an ephemeral bind; recently handed-out ports are never handed out twice (a process may not have
 * bound its port yet).
 */
public final class PortAllocator {
  private static final int REMEMBERED = 8192;

  private final Deque<Integer> recent = new ArrayDeque<>();
  private final Set<Integer> recentSet = new HashSet<>();

  /** A free loopback port. */
  public synchronized int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free local port", e);
      }
      if (recentSet.add(port)) {
        recent.addLast(port);
        if (recent.size() > REMEMBERED) {
          recentSet.remove(recent.removeFirst());
        }
        return port;
      }
    }
    throw new IllegalStateException("no free local port after 100 attempts");
  }
}
