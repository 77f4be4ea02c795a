package dev.velocity.preview.e2e.session;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Watches one PreviewSession and reports, as they happen, each new phase and each condition that
 * becomes true, with the time since the watcher started (just before the session was created).
 */
public final class PhaseWatcher implements AutoCloseable {
  private final long start = System.nanoTime();
  private final Map<String, Duration> firstSeen = new LinkedHashMap<>();
  private final Map<String, String> conditionState = new HashMap<>();
  private final BiConsumer<String, Duration> sink;
  private final Watch watch;
  private String phase;

  private PhaseWatcher(
      KubernetesClient client, String namespace, String name, BiConsumer<String, Duration> sink) {
    this.sink = sink;
    this.watch =
        client
            .resources(PreviewSession.class)
            .inNamespace(namespace)
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, PreviewSession session) {
                    observe(session);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** Starts watching {@code name} (create the session after this returns). */
  public static PhaseWatcher start(
      KubernetesClient client, String namespace, String name, BiConsumer<String, Duration> sink) {
    return new PhaseWatcher(client, namespace, name, sink);
  }

  /** Every milestone ("phase Running", "condition Ready") and when it was first seen. */
  public synchronized Map<String, Duration> milestones() {
    return new LinkedHashMap<>(firstSeen);
  }

  private synchronized void observe(PreviewSession session) {
    Duration now = Duration.ofNanos(System.nanoTime() - start);
    if (session.getStatus() == null) {
      return;
    }
    String p = String.valueOf(session.getStatus().getPhase());
    if (!Objects.equals(p, phase)) {
      phase = p;
      report("phase " + p, now);
    }
    for (Condition c : session.getStatus().getConditions()) {
      String previous = conditionState.put(c.getType(), c.getStatus());
      if ("True".equals(c.getStatus()) && !"True".equals(previous)) {
        report("condition " + c.getType(), now);
      }
    }
  }

  private void report(String milestone, Duration at) {
    firstSeen.putIfAbsent(milestone, at);
    sink.accept(milestone, at);
  }

  @Override
  public void close() {
    watch.close();
  }
}
