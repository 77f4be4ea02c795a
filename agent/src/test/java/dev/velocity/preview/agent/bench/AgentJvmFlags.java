package dev.velocity.preview.agent.bench;

import java.util.List;

/** The JVM flags recommended for the agent (documented in NOTES-agent.md and the Dockerfile). */
public final class AgentJvmFlags {
  /** C1 only, serial GC, small heap and stacks: a short-lived, small process starts fastest. */
  public static final List<String> RECOMMENDED =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xms32m",
          "-Xmx256m",
          "-Xss512k",
          "-XX:-UsePerfData",
          "-Xshare:auto");

  private AgentJvmFlags() {}
}
