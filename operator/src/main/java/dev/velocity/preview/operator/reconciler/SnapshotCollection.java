package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic snapshot garbage collection (never per session): on the leader only, deletes snapshots
 * past the retention that no session still needs.
 */
public final class SnapshotCollection implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(SnapshotCollection.class);

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final BiFunction<Duration, Set<String>, List<String>> collector;
  private final Duration retention;
  private final BooleanSupplier leader;

  /**
   * @param collector deletes unreferenced snapshots older than a retention, returns deleted keys
   */
  public SnapshotCollection(
      KubernetesClient client,
      Set<String> namespaces,
      BiFunction<Duration, Set<String>, List<String>> collector,
      Duration retention,
      BooleanSupplier leader) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.collector = collector;
    this.retention = retention;
    this.leader = leader;
  }

  @Override
  public void run() {
    if (!leader.getAsBoolean()) {
      return;
    }
    try {
      Set<String> referenced = referencedKeys();
      List<String> deleted = collector.apply(retention, referenced);
      log.info(
          "snapshot GC: {} sessions reference snapshots, {} objects deleted",
          referenced.size(),
          deleted.size());
    } catch (RuntimeException e) {
      // the next run tries again; a GC failure never affects sessions
      log.warn("snapshot GC failed: {}", e.getMessage());
    }
  }

  /** Zip keys used by sessions that have not expired (an expired session has no pod). */
  Set<String> referencedKeys() {
    Set<String> keys = new HashSet<>();
    List<PreviewSession> sessions =
        namespaces.isEmpty()
            ? client.resources(PreviewSession.class).inAnyNamespace().list().getItems()
            : namespaces.stream()
                .flatMap(
                    ns ->
                        client
                            .resources(PreviewSession.class)
                            .inNamespace(ns)
                            .list()
                            .getItems()
                            .stream())
                .toList();
    for (PreviewSession session : sessions) {
      var status = session.getStatus();
      if (status != null
          && status.getSnapshot() != null
          && status.getSnapshot().getKey() != null
          && status.getPhase() != SessionPhase.Expired) {
        keys.add(status.getSnapshot().getKey());
      }
    }
    return keys;
  }
}
