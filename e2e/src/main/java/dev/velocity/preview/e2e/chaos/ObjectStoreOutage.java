package dev.velocity.preview.e2e.chaos;

import java.util.Random;

/**
 * Makes the object store refuse connections for 2–5 s (snapshot builds, presigned downloads and the
 * re-hydration of a recreated pod fail meanwhile), then serves again on the same port with the same
 * objects.
 */
final class ObjectStoreOutage implements Fault {
  @Override
  public FaultKind kind() {
    return FaultKind.OBJECT_STORE_DOWN;
  }

  @Override
  public String inject(ChaosTarget target, Random random) throws InterruptedException {
    long millis = 2000 + random.nextInt(3000);
    ChaosSession victim = target.pick(random);
    target.stack().objectStore().pause();
    String pod;
    try {
      pod = target.podName(victim).orElse(null);
      if (pod != null) {
        target.stack().client().pods().inNamespace(target.namespace()).withName(pod).delete();
      }
      Thread.sleep(millis);
    } finally {
      target.stack().objectStore().resume();
    }
    return "object store down for " + millis + " ms; pod " + pod + " deleted meanwhile";
  }
}
