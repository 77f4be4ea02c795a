package dev.velocity.preview.e2e.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Latency samples of the current window only, so percentiles can be compared over time. */
final class WindowedStats {
  private final String name;
  private final AtomicReference<Stats> current;
  private final AtomicLong edits = new AtomicLong();

  WindowedStats(String name) {
    this.name = name;
    this.current = new AtomicReference<>(new Stats(name));
  }

  void add(Duration d) {
    current.get().add(d);
  }

  void missing() {
    current.get().missing();
  }

  void edit() {
    edits.incrementAndGet();
  }

  /** Closes the current window and starts the next one. */
  Window roll() {
    return new Window(current.getAndSet(new Stats(name)), edits.getAndSet(0));
  }

  /** A closed window: its samples and the edits committed in it. */
  record Window(Stats latency, long edits) {}
}
