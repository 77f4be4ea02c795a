package dev.velocity.preview.operator.realtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link SessionRegistry} held in memory: every session is live until {@link #revoke(String)}
 * names it. Used where no Kubernetes API is available (a standalone gateway in the local stack) and
 * by tests.
 */
public final class InMemorySessionRegistry implements SessionRegistry {
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public boolean isLive(String sessionUid) {
    return !revoked.contains(sessionUid);
  }

  @Override
  public void onRevoked(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Marks the session as no longer live and tells the listeners (once per session). */
  public void revoke(String sessionUid) {
    if (revoked.add(sessionUid)) {
      listeners.forEach(l -> l.accept(sessionUid));
    }
  }
}
