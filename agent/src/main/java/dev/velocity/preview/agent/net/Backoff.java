package dev.velocity.preview.agent.net;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with full jitter: attempt {@code n} waits a uniformly random time in
 * {@code [0, min(cap, base * 2^n)]}, so many agents restarting together spread out.
 */
public final class Backoff {
  private final long baseMillis;
  private final long capMillis;
  private int attempt;

  /** A backoff starting at {@code baseMillis} and never waiting longer than {@code capMillis}. */
  public Backoff(long baseMillis, long capMillis) {
    this.baseMillis = Math.max(0, baseMillis);
    this.capMillis = Math.max(this.baseMillis, capMillis);
  }

  /** The delay before the next attempt; each call doubles the ceiling up to the cap. */
  public long nextDelayMillis() {
    long ceiling = baseMillis << Math.min(attempt, 30);
    if (ceiling <= 0 || ceiling > capMillis) {
      ceiling = capMillis;
    }
    attempt++;
    // at least a quarter of the ceiling: full jitter without the rare zero wait hammering a server
    long floor = ceiling / 4;
    return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
  }

  /** Sleeps {@link #nextDelayMillis()}. */
  public void sleep() throws InterruptedException {
    Thread.sleep(nextDelayMillis());
  }

  /** Starts over from the base delay (after a success). */
  public void reset() {
    attempt = 0;
  }

  /** How many delays were handed out since the last reset. */
  public int attempts() {
    return attempt;
  }
}
