package dev.velocity.preview.e2e.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jars the local stack runs besides itself: the agent (what the kubelet runs for agent images)
 * and the operator (a control plane in its own processes).
 */
public enum BuiltJar {
  AGENT("preview.agent.jar", "PREVIEW_AGENT_JAR", "agent/target/preview-agent.jar"),
  OPERATOR("preview.operator.jar", "PREVIEW_OPERATOR_JAR", "operator/target/preview-operator.jar");

  private final String property;
  private final String variable;
  private final String modulePath;

  BuiltJar(String property, String variable, String modulePath) {
    this.property = property;
    this.variable = variable;
    this.modulePath = modulePath;
  }

  /**
   * The first that exists of: the system property, the environment variable, the jar next to the
   * {@code e2e/target} this class was loaded from, and the jar under the working directory.
   *
   * @throws IllegalStateException naming every place looked at and how to build the jar
   */
  public Path locate(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    if (System.getProperty(property) != null) {
      candidates.add(Path.of(System.getProperty(property)));
    }
    if (env.get(variable) != null) {
      candidates.add(Path.of(env.get(variable)));
    }
    try {
      Path code =
          Path.of(BuiltJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // e2e/target/preview-local.jar or e2e/target/classes
      Path target = code.getParent();
      if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
        candidates.add(target.getParent().getParent().resolve(modulePath));
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: fall back to the working directory
    }
    candidates.add(Path.of(modulePath));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        Path.of(modulePath).getFileName()
            + " not found (looked at "
            + candidates
            + "); build it with ./mvnw -B -q -DskipTests package, or set "
            + variable);
  }
}
