package dev.velocity.preview.e2e.kubelet;

/**
 * A container cannot be created yet: a referenced Secret, ConfigMap or key is missing, a volume
 * type is unsupported. Reported as the container's waiting reason, as a kubelet does ({@code
 * CreateContainerConfigError}, {@code ContainerCreating}), and retried.
 */
final class ContainerConfigException extends Exception {
  private final String reason;

  ContainerConfigException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
