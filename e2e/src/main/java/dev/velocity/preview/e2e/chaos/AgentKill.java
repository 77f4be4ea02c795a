package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.kubelet.RunningPod;
import java.util.Optional;
import java.util.Random;

/**
 * Kills the {@code sync} container of a random session while edits stream in (its whole process
 * tree, at once, as a crash or an OOM kill would); the kubelet restarts it and the agent resumes
 * from the revision it persisted.
 */
final class AgentKill implements Fault {
  @Override
  public FaultKind kind() {
    return FaultKind.AGENT_KILLED;
  }

  @Override
  public String inject(ChaosTarget target, Random random) throws InterruptedException {
    ChaosSession s = target.pick(random);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<RunningPod> pod = target.pod(s);
      if (pod.isPresent()) {
        String name = pod.get().pod().getMetadata().getName();
        if (!target.stack().kubelet().processes(target.namespace(), name).isEmpty()) {
          target.stack().kubelet().killContainer(target.namespace(), name, "sync");
          return "killed the sync container of " + name;
        }
      }
      Thread.sleep(100); // the pod is being (re)created: kill it once it runs
    }
    throw new IllegalStateException("session " + s.name() + " has no running pod to kill");
  }
}
