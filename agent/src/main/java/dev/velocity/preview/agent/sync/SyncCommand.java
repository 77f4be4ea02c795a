package dev.velocity.preview.agent.sync;

import dev.velocity.preview.agent.AgentException;
import dev.velocity.preview.agent.ExitCode;
import dev.velocity.preview.agent.Log;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code sync} command: runs {@link SyncAgent} until SIGTERM. */
public final class SyncCommand {
  private SyncCommand() {}

  /** Runs sync with {@code env}; returns the exit code once stopped. */
  public static int run(Map<String, String> env) {
    SyncConfig config = SyncConfig.fromEnv(env);
    SyncAgent agent = new SyncAgent(config);
    Thread hook =
        new Thread(
            () -> {
              agent.close();
              try {
                agent.awaitFinished(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Log.info(
        "sync starting: project "
            + config.projectId()
            + ", gateway "
            + config.realtimeUrl()
            + ", workspace "
            + config.workspaceDir());
    try {
      agent.run();
    } catch (IOException e) {
      throw new AgentException(ExitCode.IO, "sync failed: " + e.getMessage(), e);
    }
    return ExitCode.OK.code();
  }
}
