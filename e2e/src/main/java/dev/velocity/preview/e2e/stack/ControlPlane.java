package dev.velocity.preview.e2e.stack;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The operator or the realtime gateway running inside this JVM, started through the operator's own
 * wiring from nothing but an environment map (the variables the chart sets) and a Kubernetes client
 * for the (mock) API server.
 */
public interface ControlPlane extends AutoCloseable {
  /** Which part. */
  enum Role {
    OPERATOR,
    GATEWAY
  }

  /** Heap used by this JVM now, in bytes (both parts share the local stack's JVM). */
  default long heapUsed() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The process this part runs in (the local stack's own when it runs in-process). */
  default long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  void close();

  /** Starts {@code role} with {@code env}. */
  static ControlPlane start(Role role, Map<String, String> env, KubernetesClient client) {
    return OperatorWiring.start(role, env, client);
  }
}
