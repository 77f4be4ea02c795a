package dev.velocity.preview.agent.bench;

import java.util.List;

/** The JVM flags recommended for the agent (documented in NOTES-agent.md and the Dockerfile). */
public final class AgentJvmFlags {
  /**
   * For {@code hydrate} (as agent/src/main/docker/preview-agent): C1 only, serial GC, small initial
   * heap and stacks, no perf data file; the AppCDS archive is added by the caller.
   */
  public static final List<String> RECOMMENDED =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xss512k",
          "-XX:-UsePerfData",
          "-Xshare:auto",
          "-Xms16m",
          "-XX:MaxRAMPercentage=75",
          "-Xlog:cds=off,cds+dynamic=off");

  private AgentJvmFlags() {}
}
