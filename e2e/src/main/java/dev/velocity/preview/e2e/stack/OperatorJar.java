package dev.velocity.preview.e2e.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code operator/target/preview-operator.jar} (for a control plane in its own processes).
 */
public final class OperatorJar {
  private OperatorJar() {}

  /**
   * The first that exists of: env {@code PREVIEW_OPERATOR_JAR}, {@code
   * operator/target/preview-operator.jar} next to this jar's {@code e2e/target}, and under the
   * working directory.
   *
   * @throws IllegalStateException naming the places looked at
   */
  public static Path locate(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    if (env.get("PREVIEW_OPERATOR_JAR") != null) {
      candidates.add(Path.of(env.get("PREVIEW_OPERATOR_JAR")));
    }
    try {
      Path code =
          Path.of(OperatorJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path target = code.getParent();
      if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
        candidates.add(
            target.getParent().getParent().resolve("operator/target/preview-operator.jar"));
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: fall back to the working directory
    }
    candidates.add(Path.of("operator/target/preview-operator.jar"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "preview-operator.jar not found (looked at "
            + candidates
            + "); build it with ./mvnw -B -q -DskipTests package, or set PREVIEW_OPERATOR_JAR");
  }
}
