package dev.velocity.preview.e2e.kubelet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/** A dev-server container run by the built-in {@link StaticSiteServer}, inside this process. */
final class StaticSiteContainer implements RunningContainer {
  private static final AtomicLong IDS = new AtomicLong();

  private final StaticSiteServer server;
  private final String id = "builtin://static-site/" + IDS.incrementAndGet();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();

  private StaticSiteContainer(StaticSiteServer server) {
    this.server = server;
  }

  static StaticSiteContainer start(Path root, int hostPort, Executor executor) throws IOException {
    return new StaticSiteContainer(StaticSiteServer.start(root, hostPort, executor));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public void terminate(Duration grace) {
    server.stop();
    exited.complete(143);
  }

  @Override
  public void kill() {
    server.stop();
    exited.complete(137);
  }
}
