package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Plays the kubelet in controller tests: writes the container states a real one would. */
public final class TestKubelet {

  private final KubernetesClient client;

  public TestKubelet(KubernetesClient client) {
    this.client = client;
  }

  public Pod hydrating(Pod pod) {
    return status(
        pod,
        "Pending",
        List.of(TestPods.running("hydrate")),
        List.of(
            TestPods.waiting("dev-server", "PodInitializing", null),
            TestPods.waiting("sync", "PodInitializing", null)),
        false);
  }

  public Pod ready(Pod pod) {
    return status(
        pod,
        "Running",
        List.of(TestPods.terminated("hydrate", 0, null)),
        List.of(TestPods.running("dev-server"), TestPods.running("sync")),
        true);
  }

  public Pod hydrationFailed(Pod pod, String lastLine) {
    return status(
        pod, "Pending", List.of(TestPods.terminated("hydrate", 2, lastLine)), List.of(), false);
  }

  private Pod status(
      Pod pod,
      String phase,
      List<ContainerStatus> init,
      List<ContainerStatus> containers,
      boolean ready) {
    Pod current =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    Pod updated =
        new PodBuilder(current)
            .withStatus(
                new PodStatusBuilder()
                    .withPhase(phase)
                    .withInitContainerStatuses(init)
                    .withContainerStatuses(containers)
                    .addNewCondition()
                    .withType("PodScheduled")
                    .withStatus("True")
                    .endCondition()
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .endCondition()
                    .build())
            .build();
    return client.pods().resource(updated).updateStatus();
  }
}
