package dev.velocity.preview.operator.realtime;

import java.util.function.Consumer;

/**
 * Which preview sessions may still stream. A session token stays cryptographically valid until it
 * expires; this registry lets the gateway refuse it, and close its open streams, as soon as the
 * session is deleted or expired.
 */
public interface SessionRegistry extends AutoCloseable {

  /** True when the session with this UID (the token's {@code sub}) may open streams. */
  boolean isLive(String sessionUid);

  /**
   * Calls {@code listener} with the session UID each time a session stops being live. The listener
   * runs on the registry's thread and must not block.
   */
  void onRevoked(Consumer<String> listener);

  /** Stops watching; the default does nothing. */
  @Override
  default void close() {}
}
