package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches the trial's session phases (polling every 250 ms) and counts how often a session entered
 * {@code Failed} while faults were injected: the operator calls a crash-looping container or a
 * failed hydration a failure even when the next restart heals it, which an orchestrator may act on.
 * Reported, not asserted: the end state is what must be right.
 */
final class PhaseWatch implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Consumer<String> log;
  private final Map<String, SessionPhase> last = new HashMap<>();
  private int failedEntries;
  private final Thread thread;
  private volatile boolean running = true;

  PhaseWatch(KubernetesClient client, String namespace, Consumer<String> log) {
    this.client = client;
    this.namespace = namespace;
    this.log = log;
    this.thread = new Thread(this::run, "chaos-phase-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Times a session entered {@code Failed}. */
  synchronized int failedEntries() {
    return failedEntries;
  }

  private void run() {
    while (running) {
      try {
        poll();
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the API server is briefly unreachable: look again
      }
    }
  }

  private synchronized void poll() {
    for (PreviewSession s :
        client.resources(PreviewSession.class).inNamespace(namespace).list().getItems()) {
      if (s.getStatus() == null || s.getStatus().getPhase() == null) {
        continue;
      }
      SessionPhase now = s.getStatus().getPhase();
      SessionPhase before = last.put(s.getMetadata().getName(), now);
      if (now == SessionPhase.Failed && before != SessionPhase.Failed) {
        failedEntries++;
        log.accept(
            "session " + s.getMetadata().getName() + " Failed: " + s.getStatus().getMessage());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
