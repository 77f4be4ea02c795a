package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;

/** Pods in the states a kubelet reports, for unit tests. */
public final class TestPods {

  private TestPods() {}

  public static Pod pod() {
    return new SessionPodBuilder(TestSessions.SETTINGS)
        .build(TestSessions.session("my-app"), TestSessions.snapshot());
  }

  public static ContainerStatus running(String name) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt("2026-11-25T10:00:01Z")
        .endRunning()
        .endState()
        .build();
  }

  public static ContainerStatus waiting(String name, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage("img:" + name)
        .withReady(false)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  public static ContainerStatus terminated(String name, int exitCode, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(false)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }

  public static Pod withStatus(
      List<ContainerStatus> init, List<ContainerStatus> containers, boolean ready) {
    return new PodBuilder(pod())
        .withStatus(
            new PodStatusBuilder()
                .withPhase(ready ? "Running" : "Pending")
                .withInitContainerStatuses(init)
                .withContainerStatuses(containers)
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .build())
        .build();
  }

  public static Pod ready() {
    return withStatus(
        List.of(terminated("hydrate", 0, null)),
        List.of(running("dev-server"), running("sync")),
        true);
  }

  public static Pod hydrating() {
    return withStatus(
        List.of(running("hydrate")),
        List.of(
            waiting("dev-server", "PodInitializing", null),
            waiting("sync", "PodInitializing", null)),
        false);
  }
}
