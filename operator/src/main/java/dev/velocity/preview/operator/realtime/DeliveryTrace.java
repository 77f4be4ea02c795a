package dev.velocity.preview.operator.realtime;

import java.util.UUID;

/**
 * Per-stage timestamps of live delivery ({@link System#nanoTime()}), for latency benchmarks and
 * diagnostics: which part of commit → sent a change spends where. Installed with {@link
 * GatewayMetrics#trace(DeliveryTrace)}; the default records nothing. Implementations are called on
 * the gateway's own threads and must return at once.
 */
public interface DeliveryTrace {
  /** Records nothing. */
  DeliveryTrace NONE = new DeliveryTrace() {};

  /** The LISTEN thread took a notification of {@code revision} of {@code projectId}. */
  default void notified(UUID projectId, long revision, long nanos) {}

  /**
   * A live read of {@code projectId} that started at {@code startNanos} returned revisions {@code
   * first..last} (already encoded) at {@code endNanos}.
   */
  default void read(UUID projectId, long first, long last, long startNanos, long endNanos) {}

  /**
   * Live event {@code revision} (committed at {@code committedAtMicros}, epoch microseconds) was
   * written and flushed to one stream's socket at {@code nanos}.
   */
  default void sent(long revision, long committedAtMicros, long nanos) {}
}
