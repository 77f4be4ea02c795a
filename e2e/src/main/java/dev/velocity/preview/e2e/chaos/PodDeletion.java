package dev.velocity.preview.e2e.chaos;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Random;

/**
 * Deletes a random session's pod through the Kubernetes API (an eviction or a node drain would);
 * the operator must create a new one, which hydrates from a snapshot and streams again. Waits until
 * the replacement pod exists (not until it runs).
 */
final class PodDeletion implements Fault {
  @Override
  public FaultKind kind() {
    return FaultKind.POD_DELETED;
  }

  @Override
  public String inject(ChaosTarget target, Random random) throws InterruptedException {
    ChaosSession s = target.pick(random);
    String name = target.podName(s).orElseThrow(() -> new IllegalStateException(s + " has no pod"));
    var pods = target.stack().client().pods().inNamespace(target.namespace());
    Pod before = pods.withName(name).get();
    if (before == null) {
      throw new IllegalStateException("pod " + name + " of " + s.name() + " does not exist");
    }
    pods.withName(name).delete();
    long t = System.nanoTime();
    long deadline = t + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      String pod = target.podName(s).orElse(name);
      Pod now = pods.withName(pod).get();
      if (now != null && !now.getMetadata().getUid().equals(before.getMetadata().getUid())) {
        return "deleted pod "
            + name
            + "; the operator created "
            + pod
            + " after "
            + (System.nanoTime() - t) / 1_000_000
            + " ms";
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the operator did not recreate the pod of " + s.name() + " within 60 s");
  }
}
