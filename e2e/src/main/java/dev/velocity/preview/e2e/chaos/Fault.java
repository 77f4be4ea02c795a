package dev.velocity.preview.e2e.chaos;

import java.util.Random;

/** One kind of fault, injected into a running trial. */
public interface Fault {
  /** Which kind this is. */
  FaultKind kind();

  /**
   * Injects the fault once and returns when the broken part has been told to come back (a restart
   * finished, a store resumed); convergence is awaited by the trial, not here.
   *
   * @param target the running stack and sessions
   * @param random the trial's seeded source of choices
   * @return one line saying what was done (for the trial's log)
   */
  String inject(ChaosTarget target, Random random) throws Exception;
}
