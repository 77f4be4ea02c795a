package dev.velocity.preview.e2e.chaos;

import java.util.Random;

/** Stops and starts the realtime gateway; every stream is cut and agents reconnect. */
final class GatewayRestart implements Fault {
  @Override
  public FaultKind kind() {
    return FaultKind.GATEWAY_RESTART;
  }

  @Override
  public String inject(ChaosTarget target, Random random) {
    target.reauths().beforeRestart();
    target.stack().restartGateway();
    return "gateway restarted";
  }
}
