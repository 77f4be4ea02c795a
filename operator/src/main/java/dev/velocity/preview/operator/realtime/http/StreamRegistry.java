package dev.velocity.preview.operator.realtime.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open streams of this process by session: enforces the per-session stream limit and finds a
 * session's streams when it is revoked. A slot is reserved before the (asynchronous) stream opens,
 * so concurrent requests cannot overshoot the limit.
 */
final class StreamRegistry {
  private final int maxPerSession;
  private final Map<String, Session> sessions = new HashMap<>();

  StreamRegistry(int maxPerSession) {
    this.maxPerSession = maxPerSession;
  }

  private static final class Session {
    int slots;
    final Set<EventStream> streams = new LinkedHashSet<>();
  }

  /** Takes one of the session's slots; false when it already has the maximum. */
  synchronized boolean reserve(String sessionUid) {
    Session s = sessions.computeIfAbsent(sessionUid, k -> new Session());
    if (s.slots >= maxPerSession) {
      return false;
    }
    s.slots++;
    return true;
  }

  /** Gives back a slot taken by {@link #reserve} (with its stream, if it opened). */
  synchronized void release(String sessionUid, EventStream stream) {
    Session s = sessions.get(sessionUid);
    if (s == null) {
      return;
    }
    if (stream != null) {
      s.streams.remove(stream);
    }
    if (--s.slots <= 0) {
      sessions.remove(sessionUid);
    }
  }

  /** Records the stream that uses a reserved slot. */
  synchronized void attach(String sessionUid, EventStream stream) {
    sessions.computeIfAbsent(sessionUid, k -> new Session()).streams.add(stream);
  }

  /** The open streams of a session. */
  synchronized List<EventStream> streamsOf(String sessionUid) {
    Session s = sessions.get(sessionUid);
    return s == null ? List.of() : new ArrayList<>(s.streams);
  }

  /** Every open stream. */
  synchronized List<EventStream> all() {
    List<EventStream> out = new ArrayList<>();
    sessions.values().forEach(s -> out.addAll(s.streams));
    return out;
  }

  /** The maximum streams per session. */
  int maxPerSession() {
    return maxPerSession;
  }
}
