package dev.velocity.preview.operator.reconciler;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written snapshot source for controller tests: known projects have a snapshot, others are
 * not found, and transient failures can be scripted per project.
 */
final class InMemorySnapshots implements SnapshotSource {

  private final Map<UUID, Long> revisions = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  InMemorySnapshots project(UUID projectId, long revision) {
    revisions.put(projectId, revision);
    return this;
  }

  /** The next {@code n} calls for {@code projectId} fail as if the database were down. */
  void failTransiently(UUID projectId, int n) {
    failuresLeft.put(projectId, new AtomicInteger(n));
  }

  int calls(UUID projectId) {
    return calls.computeIfAbsent(projectId, p -> new AtomicInteger()).get();
  }

  @Override
  public SessionSnapshot ensure(UUID projectId) {
    int call = calls.computeIfAbsent(projectId, p -> new AtomicInteger()).incrementAndGet();
    AtomicInteger failures = failuresLeft.get(projectId);
    if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SessionFailureException(
          SessionFailure.transientFailure(
              SessionReasons.DATABASE_UNAVAILABLE, "database unavailable: connection refused"),
          null);
    }
    Long revision = revisions.get(projectId);
    if (revision == null) {
      throw new SessionFailureException(
          SessionFailure.permanentFailure(
              SessionReasons.PROJECT_NOT_FOUND, "project " + projectId + " does not exist"),
          null);
    }
    return new SessionSnapshot(
        revision,
        "snapshots/" + projectId + "/" + revision + ".zip",
        "0".repeat(63) + revision % 10,
        3,
        1234,
        call > 1,
        Duration.ofMillis(5));
  }
}
