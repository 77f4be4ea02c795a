package dev.velocity.preview.e2e.kubelet;

import java.time.Duration;

/**
 * Told when a container instance exits: for measurements (e.g. hydration time, JVM start included).
 */
@FunctionalInterface
public interface ContainerListener {
  /**
   * @param namespace the pod's namespace
   * @param pod the pod's name
   * @param container the container's name
   * @param ran from process start to exit
   * @param exitCode its exit code
   */
  void exited(String namespace, String pod, String container, Duration ran, int exitCode);
}
