package dev.velocity.preview.e2e.stack;

import dev.velocity.preview.operator.OperatorApp;
import dev.velocity.preview.operator.config.OperatorConfig;
import dev.velocity.preview.operator.config.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The one place the local stack touches the operator's code: {@link OperatorApp}, the same wiring
 * {@code preview-operator.jar} runs, configured from the environment map only.
 */
final class OperatorWiring {
  private OperatorWiring() {}

  static ControlPlane start(
      ControlPlane.Role role, Map<String, String> env, KubernetesClient client) {
    Role r = role == ControlPlane.Role.OPERATOR ? Role.OPERATOR : Role.GATEWAY;
    OperatorApp app =
        OperatorApp.start(
            OperatorConfig.fromEnv(env, r), r, client, OperatorApp.Options.embedded());
    return app::close;
  }
}
