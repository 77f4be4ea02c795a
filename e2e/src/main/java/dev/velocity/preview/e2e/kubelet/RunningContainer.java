package dev.velocity.preview.e2e.kubelet;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One started container instance: a host process tree or a built-in server. */
interface RunningContainer {
  /** The {@code containerID} reported in the pod status, e.g. {@code process://1234}. */
  String id();

  /** Completes with the exit code (128 + signal for a signalled process). */
  CompletableFuture<Integer> exited();

  /** SIGTERM to the whole tree, then SIGKILL to whatever is left after {@code grace}. */
  void terminate(Duration grace);

  /** SIGKILL to the whole tree at once (a crash, or the test hook). */
  void kill();
}
