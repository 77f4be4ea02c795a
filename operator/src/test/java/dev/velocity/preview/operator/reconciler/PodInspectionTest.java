package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodInspectionTest {

  @Test
  void aFreshPodIsPending() {
    PodState state = PodInspection.inspect(TestPods.pod());
    assertThat(state.hydrate()).isEqualTo(PodState.Hydration.PENDING);
    assertThat(state.ready()).isFalse();
    assertThat(state.problem()).isEmpty();
    assertThat(state.specHash()).isNotBlank();
    assertThat(state.name()).isEqualTo("my-app-preview");
  }

  @Test
  void hydratingThenReady() {
    assertThat(PodInspection.inspect(TestPods.hydrating()).hydrate())
        .isEqualTo(PodState.Hydration.RUNNING);
    PodState ready = PodInspection.inspect(TestPods.ready());
    assertThat(ready.hydrate()).isEqualTo(PodState.Hydration.SUCCEEDED);
    assertThat(ready.ready()).isTrue();
    assertThat(ready.failed()).isFalse();
  }

  @Test
  void hydrationFailureCarriesTheAgentsLastLine() {
    var pod =
        TestPods.withStatus(
            List.of(
                TestPods.terminated(
                    "hydrate", 4, "downloading\nsnapshot sha256 mismatch: expected ab.. got cd..")),
            List.of(),
            false);
    PodState state = PodInspection.inspect(pod);
    assertThat(state.hydrate()).isEqualTo(PodState.Hydration.FAILED);
    assertThat(state.problem())
        .get()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(SessionReasons.HYDRATION_FAILED);
              assertThat(p.message())
                  .isEqualTo(
                      "hydrate: snapshot sha256 mismatch: expected ab.. got cd.. (exit code 4)");
            });
    assertThat(state.failed()).isTrue();
  }

  @Test
  void initCrashLoopIsAHydrationFailure() {
    var status =
        new ContainerStatusBuilder(TestPods.waiting("hydrate", "CrashLoopBackOff", "back-off"))
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withMessage("cannot reach snapshot URL: 403")
            .endTerminated()
            .endLastState()
            .build();
    PodState state = PodInspection.inspect(TestPods.withStatus(List.of(status), List.of(), false));
    assertThat(state.hydrate()).isEqualTo(PodState.Hydration.FAILED);
    assertThat(state.problem().orElseThrow().message()).contains("cannot reach snapshot URL: 403");
  }

  private static ContainerStatus downloadFailed(int restarts) {
    return new ContainerStatusBuilder(TestPods.waiting("hydrate", "CrashLoopBackOff", "back-off"))
        .withRestartCount(restarts)
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(PodInspection.HYDRATE_DOWNLOAD_FAILED)
        .withMessage("snapshot download failed after 5 attempts: ConnectException: refused")
        .endTerminated()
        .endLastState()
        .build();
  }

  @Test
  void aFailedDownloadIsTransientWhileTheKubeletRetries() {
    PodState state =
        PodInspection.inspect(TestPods.withStatus(List.of(downloadFailed(2)), List.of(), false));
    assertThat(state.hydrate()).isEqualTo(PodState.Hydration.RETRYING);
    assertThat(state.failed()).isFalse();
    SessionFailure problem = state.problem().orElseThrow();
    assertThat(problem.permanent()).isFalse();
    assertThat(problem.reason()).isEqualTo(SessionReasons.STORAGE_UNAVAILABLE);
    assertThat(problem.message())
        .isEqualTo(
            "hydrate: snapshot download failed after 5 attempts: ConnectException: refused"
                + " (exit code 3); the kubelet retries (2 of 5 restarts)");
  }

  @Test
  void aJustExitedDownloadFailureIsAlsoRetried() {
    PodState state =
        PodInspection.inspect(
            TestPods.withStatus(
                List.of(TestPods.terminated("hydrate", 3, "snapshot download failed: HTTP 503")),
                List.of(),
                false));
    assertThat(state.hydrate()).isEqualTo(PodState.Hydration.RETRYING);
    assertThat(state.failed()).isFalse();
  }

  @Test
  void aDownloadThatKeepsFailingEndsInHydrationFailed() {
    PodState state =
        PodInspection.inspect(
            TestPods.withStatus(
                List.of(downloadFailed(PodInspection.HYDRATE_DOWNLOAD_RESTARTS)),
                List.of(),
                false));
    assertThat(state.hydrate()).isEqualTo(PodState.Hydration.FAILED);
    assertThat(state.failed()).isTrue();
    assertThat(state.problem().orElseThrow().reason()).isEqualTo(SessionReasons.HYDRATION_FAILED);
  }

  @Test
  void imagePullFailureNamesTheContainerAndImage() {
    var pod =
        TestPods.withStatus(
            List.of(TestPods.terminated("hydrate", 0, null)),
            List.of(
                TestPods.waiting(
                    "dev-server", "ImagePullBackOff", "Back-off pulling image \"nope:1\""),
                TestPods.running("sync")),
            false);
    PodState state = PodInspection.inspect(pod);
    assertThat(state.problem())
        .get()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(SessionReasons.IMAGE_PULL_FAILED);
              assertThat(p.message())
                  .startsWith(
                      "dev-server: image img:dev-server cannot be pulled: Back-off pulling image");
            });
  }

  @Test
  void crashLoopingDevServer() {
    var crashing =
        new ContainerStatusBuilder(
                TestPods.waiting("dev-server", "CrashLoopBackOff", "back-off 10s"))
            .withRestartCount(4)
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withMessage("Error: Cannot find module 'vite'")
            .endTerminated()
            .endLastState()
            .build();
    var pod =
        TestPods.withStatus(
            List.of(TestPods.terminated("hydrate", 0, null)),
            List.of(crashing, TestPods.running("sync")),
            false);
    assertThat(PodInspection.inspect(pod).problem().orElseThrow().message())
        .isEqualTo(
            "dev-server keeps crashing (4 restarts): Error: Cannot find module 'vite' (exit code 1)");
  }

  @Test
  void unschedulableIsAProblemButNotAFailure() {
    var pod =
        new PodBuilder(TestPods.pod())
            .withNewStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes have enough memory")
            .endCondition()
            .endStatus()
            .build();
    PodState state = PodInspection.inspect(pod);
    assertThat(state.problem().orElseThrow().reason()).isEqualTo(SessionReasons.UNSCHEDULABLE);
    assertThat(state.failed()).isFalse();
  }

  @Test
  void terminatingIsSeen() {
    var pod =
        new PodBuilder(TestPods.ready())
            .editMetadata()
            .withDeletionTimestamp("2026-11-25T10:00:00Z")
            .endMetadata()
            .build();
    assertThat(PodInspection.inspect(pod).terminating()).isTrue();
  }
}
