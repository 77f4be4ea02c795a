package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.DeliveryTrace;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A {@link DeliveryTrace} that keeps every stage timestamp of revisions {@code 1..maxRevision}:
 * when the LISTEN thread heard it, when its live read started and ended, and when it was flushed to
 * each stream. All times are {@link System#nanoTime()}; {@code created_at} is kept as epoch micros.
 */
final class DeliveryRecorder implements DeliveryTrace {
  final long[] notified;
  final long[] readStart;
  final long[] readEnd;
  final long[] createdMicros;
  final long[][] sent;
  final AtomicIntegerArray sends;

  DeliveryRecorder(int maxRevision, int streams) {
    notified = new long[maxRevision + 1];
    readStart = new long[maxRevision + 1];
    readEnd = new long[maxRevision + 1];
    createdMicros = new long[maxRevision + 1];
    sent = new long[maxRevision + 1][streams];
    sends = new AtomicIntegerArray(maxRevision + 1);
  }

  @Override
  public void notified(UUID projectId, long revision, long nanos) {
    if (revision < notified.length && notified[(int) revision] == 0) {
      notified[(int) revision] = nanos;
    }
  }

  @Override
  public void read(UUID projectId, long first, long last, long startNanos, long endNanos) {
    for (long r = first; r <= last && r < readStart.length; r++) {
      if (readStart[(int) r] == 0) {
        readStart[(int) r] = startNanos;
        readEnd[(int) r] = endNanos;
      }
    }
  }

  @Override
  public void sent(long revision, long committedAtMicros, long nanos) {
    if (revision >= sent.length) {
      return;
    }
    int r = (int) revision;
    createdMicros[r] = committedAtMicros;
    int i = sends.getAndIncrement(r);
    if (i < sent[r].length) {
      sent[r][i] = nanos;
    }
  }

  /** The sends of revision {@code r} recorded so far, sorted. */
  long[] sentSorted(int r) {
    int n = Math.min(sends.get(r), sent[r].length);
    long[] out = java.util.Arrays.copyOf(sent[r], n);
    java.util.Arrays.sort(out);
    return out;
  }
}
