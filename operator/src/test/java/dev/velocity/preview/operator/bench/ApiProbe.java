package dev.velocity.preview.operator.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Times one small write (a ConfigMap create) to the API server every {@code periodMillis}, so the
 * report can say how much of a session's latency is the (mock) API server's own: the operator makes
 * several sequential writes before a Pod exists.
 */
final class ApiProbe implements AutoCloseable {

  private final KubernetesClient client;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "api-probe");
            t.setDaemon(true);
            return t;
          });
  private final List<Long> nanos = new ArrayList<>();
  private int sequence;

  ApiProbe(KubernetesClient client, long periodMillis) {
    this.client = client;
    timer.scheduleWithFixedDelay(this::probe, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void probe() {
    long start = System.nanoTime();
    try {
      client
          .configMaps()
          .inNamespace("api-probe")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("probe-" + sequence++)
                  .endMetadata()
                  .addToData("k", "v")
                  .build())
          .create();
    } catch (RuntimeException e) {
      return;
    }
    long took = System.nanoTime() - start;
    synchronized (nanos) {
      nanos.add(took);
    }
  }

  /** Waits {@code time}, then {@link #drain()}s. */
  long[] drainAfter(java.time.Duration time) throws InterruptedException {
    Thread.sleep(time.toMillis());
    return drain();
  }

  /** The write latencies seen so far (ns), and forgets them. */
  long[] drain() {
    synchronized (nanos) {
      long[] all = nanos.stream().mapToLong(Long::longValue).toArray();
      nanos.clear();
      return all;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
