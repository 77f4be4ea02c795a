package dev.velocity.preview.e2e.chaos;

import java.util.Random;

/**
 * Restarts PostgreSQL for real: a fast shutdown (every backend, the gateway's LISTEN connection and
 * all pooled connections are cut; in-flight transactions roll back) and a start on the same port
 * and data directory. Writers see errors meanwhile and retry.
 */
final class PostgresRestart implements Fault {
  @Override
  public FaultKind kind() {
    return FaultKind.POSTGRES_RESTART;
  }

  @Override
  public String inject(ChaosTarget target, Random random) {
    long t = System.nanoTime();
    target.stack().database().restart();
    return "PostgreSQL restarted on port "
        + target.stack().database().port()
        + " in "
        + (System.nanoTime() - t) / 1_000_000
        + " ms";
  }
}
