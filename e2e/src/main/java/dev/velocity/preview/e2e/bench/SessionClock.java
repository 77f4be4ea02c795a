package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One informer over every PreviewSession of a namespace, noting for each session when it was
 * created (by the caller, just before the create call), first had {@code SnapshotReady=True}, and
 * first reached phase Running.
 */
final class SessionClock implements AutoCloseable {
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final Map<String, Long> snapshotReady = new ConcurrentHashMap<>();
  private final Map<String, Long> running = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
  private final SharedIndexInformer<PreviewSession> informer;

  SessionClock(KubernetesClient client, String namespace) {
    informer =
        client
            .resources(PreviewSession.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PreviewSession s) {
                    observe(s);
                  }

                  @Override
                  public void onUpdate(PreviewSession o, PreviewSession s) {
                    observe(s);
                  }

                  @Override
                  public void onDelete(PreviewSession s, boolean unknown) {}
                });
  }

  /** Call right before creating session {@code name}. */
  void creating(String name) {
    latches.put(name, new CountDownLatch(1));
    created.put(name, System.nanoTime());
  }

  /** Waits until {@code name} is Running; its time from creation, or empty after the timeout. */
  Optional<Duration> awaitRunning(String name, Duration timeout) throws InterruptedException {
    if (!latches.get(name).await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(running.get(name) - created.get(name)));
  }

  /** Time from creation to the first {@code SnapshotReady=True}. */
  Optional<Duration> snapshotReady(String name) {
    Long t = snapshotReady.get(name);
    return t == null ? Optional.empty() : Optional.of(Duration.ofNanos(t - created.get(name)));
  }

  private void observe(PreviewSession s) {
    long now = System.nanoTime();
    String name = s.getMetadata().getName();
    if (s.getStatus() == null || !created.containsKey(name)) {
      return;
    }
    s.getStatus()
        .condition("SnapshotReady")
        .filter(c -> "True".equals(c.getStatus()))
        .ifPresent(c -> snapshotReady.putIfAbsent(name, now));
    if (s.getStatus().getPhase() == SessionPhase.Running
        && running.putIfAbsent(name, now) == null) {
      latches.get(name).countDown();
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
