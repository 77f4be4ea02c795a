package dev.velocity.preview.e2e.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds {@code agent/target/preview-agent.jar}, the program the kubelet runs for agent images. */
public final class AgentJar {
  private AgentJar() {}

  /**
   * The first that exists of: system property {@code preview.agent.jar}, env {@code
   * PREVIEW_AGENT_JAR}, {@code agent/target/preview-agent.jar} next to the {@code e2e/target} this
   * class was loaded from, and under the working directory.
   *
   * @throws IllegalStateException naming every place looked at and how to build the jar
   */
  public static Path locate(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("preview.agent.jar");
    if (property != null) {
      candidates.add(Path.of(property));
    }
    if (env.get("PREVIEW_AGENT_JAR") != null) {
      candidates.add(Path.of(env.get("PREVIEW_AGENT_JAR")));
    }
    try {
      Path code =
          Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // e2e/target/preview-local.jar or e2e/target/classes
      Path target = code.getParent();
      if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
        candidates.add(target.getParent().getParent().resolve("agent/target/preview-agent.jar"));
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: fall back to the working directory
    }
    candidates.add(Path.of("agent/target/preview-agent.jar"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "preview-agent.jar not found (looked at "
            + candidates
            + "); build it with ./mvnw -B -q -DskipTests package, or set PREVIEW_AGENT_JAR");
  }
}
