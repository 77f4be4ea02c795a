package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.kubelet.RunningPod;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills the {@code sync} container of a random session in the middle of a write (its whole process
 * tree, at once, as a crash or an OOM kill would): the workload is asked to rewrite the project's 5
 * MiB file, and the kill comes as soon as the agent's temp file for it shows up in the workspace
 * (or after 5 s, while edits keep streaming, if it is never seen). The kubelet restarts the
 * container and the agent resumes from the revision it persisted; the temp file must be gone within
 * 30 s (the restarted agent sweeps it), or the fault reports a finding.
 */
final class AgentKill implements Fault {
  private static final long WATCH_NANOS = 5_000_000_000L;
  private static final long SWEEP_NANOS = 30_000_000_000L;

  @Override
  public FaultKind kind() {
    return FaultKind.AGENT_KILLED;
  }

  @Override
  public String inject(ChaosTarget target, Random random) throws InterruptedException {
    ChaosSession s = target.pick(random);
    RunningPod pod = awaitRunning(target, s);
    String name = pod.pod().getMetadata().getName();
    Path dir = pod.hostPath("sync", "/workspace").orElseThrow().resolve(PathPool.BIG).getParent();
    String prefix = "." + Path.of(PathPool.BIG).getFileName() + ".";
    Optional<ProcessHandle> sync = syncProcess(target, name);
    target.bigWrite().accept(s.project());
    long t = System.nanoTime();
    boolean seen = false;
    while (System.nanoTime() - t < WATCH_NANOS && !(seen = tempFileIn(dir, prefix))) {
      Thread.onSpinWait();
    }
    if (sync.isPresent()) {
      // SIGKILL of the process itself, at once (the OOM killer's way); the kubelet sees it exit
      sync.get().destroyForcibly(); // first: listing descendants walks /proc and takes time
      sync.get().descendants().forEach(ProcessHandle::destroyForcibly);
      try {
        sync.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("the sync process of " + name + " did not die", e);
      }
    } else {
      target.stack().kubelet().killContainer(target.namespace(), name, "sync");
    }
    boolean midWrite = seen && tempFileIn(dir, prefix);
    if (!midWrite) {
      return "killed the sync container of "
          + name
          + (seen ? " just after it wrote " : " (no write seen of ")
          + PathPool.BIG
          + (seen ? "" : ")");
    }
    // the restarted agent must remove what the killed one left half-written
    long killed = System.nanoTime();
    while (tempFileIn(dir, prefix)) {
      if (System.nanoTime() - killed > SWEEP_NANOS) {
        throw new IllegalStateException(
            "killed the sync container of "
                + name
                + " while it wrote "
                + PathPool.BIG
                + ": its temp file is still there 30 s later");
      }
      Thread.sleep(50);
    }
    return "killed the sync container of "
        + name
        + " while it wrote "
        + PathPool.BIG
        + "; the restarted agent removed the temp file after "
        + (System.nanoTime() - killed) / 1_000_000
        + " ms";
  }

  /** The pod's {@code preview-agent.jar sync} process, when it can be told apart. */
  private static Optional<ProcessHandle> syncProcess(ChaosTarget target, String pod) {
    return target.stack().kubelet().processes(target.namespace(), pod).stream()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains("preview-agent") && c.endsWith(" sync"))
                    .orElse(false))
        .findFirst();
  }

  private static RunningPod awaitRunning(ChaosTarget target, ChaosSession s)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<RunningPod> pod = target.pod(s);
      if (pod.isPresent()
          && !target
              .stack()
              .kubelet()
              .processes(target.namespace(), pod.get().pod().getMetadata().getName())
              .isEmpty()) {
        return pod.get();
      }
      Thread.sleep(100); // the pod is being (re)created: kill it once it runs
    }
    throw new IllegalStateException("session " + s.name() + " has no running pod to kill");
  }

  private static boolean tempFileIn(Path dir, String prefix) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.contains("tmp-")) {
          return true;
        }
      }
    } catch (IOException e) {
      // the directory does not exist yet (the big file was never written): keep looking
    }
    return false;
  }
}
