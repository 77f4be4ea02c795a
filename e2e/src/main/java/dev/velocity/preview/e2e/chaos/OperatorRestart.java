package dev.velocity.preview.e2e.chaos;

import java.util.Random;

/** Stops and starts the operator; it re-lists every session and converges. */
final class OperatorRestart implements Fault {
  @Override
  public FaultKind kind() {
    return FaultKind.OPERATOR_RESTART;
  }

  @Override
  public String inject(ChaosTarget target, Random random) {
    target.stack().restartOperator();
    return "operator restarted";
  }
}
