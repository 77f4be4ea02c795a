package dev.velocity.preview.e2e.stack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the local stack runs.
 *
 * @param dir where its data lives (PostgreSQL, S3 objects, pods, kubeconfig); created if missing
 * @param keep keep {@code dir} after shutdown (otherwise it is deleted)
 * @param namespace the namespace sessions run in
 * @param agentJar the agent jar agent images run
 * @param maxConnections PostgreSQL {@code max_connections} (sessions do not connect; the operator,
 *     the gateway and the benchmark's writers do)
 * @param operatorEnv extra environment for the operator and gateway (overrides the stack's)
 * @param separateProcesses run the operator and the gateway as their own JVMs ({@code
 *     preview-operator.jar}) instead of inside this one (their heaps can then be measured apart)
 */
public record StackOptions(
    Path dir,
    boolean keep,
    String namespace,
    Path agentJar,
    int maxConnections,
    Map<String, String> operatorEnv,
    boolean separateProcesses) {
  public StackOptions {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(agentJar, "agentJar");
    operatorEnv = Map.copyOf(operatorEnv);
  }

  /** Defaults: namespace {@code preview}, 200 connections, nothing extra, all in this JVM. */
  public static StackOptions in(Path dir, Path agentJar) {
    return new StackOptions(dir, false, "preview", agentJar, 200, Map.of(), false);
  }

  public StackOptions withKeep(boolean value) {
    return new StackOptions(
        dir, value, namespace, agentJar, maxConnections, operatorEnv, separateProcesses);
  }

  public StackOptions withNamespace(String value) {
    return new StackOptions(
        dir, keep, value, agentJar, maxConnections, operatorEnv, separateProcesses);
  }

  public StackOptions withOperatorEnv(Map<String, String> value) {
    return new StackOptions(
        dir, keep, namespace, agentJar, maxConnections, value, separateProcesses);
  }

  public StackOptions withSeparateProcesses(boolean value) {
    return new StackOptions(dir, keep, namespace, agentJar, maxConnections, operatorEnv, value);
  }

  public StackOptions withMaxConnections(int value) {
    return new StackOptions(dir, keep, namespace, agentJar, value, operatorEnv, separateProcesses);
  }
}
