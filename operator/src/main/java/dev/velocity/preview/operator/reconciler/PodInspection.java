package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a session pod's status into a {@link PodState}. */
public final class PodInspection {

  private static final Set<String> IMAGE_PULL_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  /** The agent's exit code for "the snapshot could not be downloaded" (agent {@code ExitCode}). */
  static final int HYDRATE_DOWNLOAD_FAILED = 3;

  /**
   * Restarts of {@code hydrate} after download failures before the session is {@code Failed}. A
   * download failure is usually the object store being briefly unreachable or a URL that expired
   * before the pod started (each restart reads the rotated URL from the Secret), so the kubelet's
   * restarts (10 s, 20 s, 40 s, … back-off) get this many chances, several minutes in all.
   */
  static final int HYDRATE_DOWNLOAD_RESTARTS = 5;

  private PodInspection() {}

  /** The state of {@code pod}. */
  public static PodState inspect(Pod pod) {
    PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String hash =
        annotations == null ? null : annotations.get(PreviewSessionResources.SPEC_HASH_ANNOTATION);
    Optional<ContainerStatus> hydrate =
        status.getInitContainerStatuses().stream()
            .filter(s -> PreviewSessionResources.HYDRATE_CONTAINER.equals(s.getName()))
            .findFirst();
    PodState.Hydration hydration = hydration(hydrate, status.getContainerStatuses());
    String hydrateMessage =
        hydration == PodState.Hydration.FAILED ? failureMessage(hydrate.orElseThrow()) : null;
    boolean ready =
        condition(status.getConditions(), "Ready")
            .map(c -> "True".equals(c.getStatus()))
            .orElse(false);
    return new PodState(
        pod.getMetadata().getName(),
        pod.getMetadata().getDeletionTimestamp() != null,
        hash,
        hydration,
        hydrateMessage,
        ready,
        problem(status, hydrate, hydration, hydrateMessage));
  }

  private static PodState.Hydration hydration(
      Optional<ContainerStatus> hydrate, List<ContainerStatus> containers) {
    if (hydrate.isEmpty()) {
      // main containers only start after every init container succeeded
      boolean started =
          containers.stream()
              .anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
      return started ? PodState.Hydration.SUCCEEDED : PodState.Hydration.PENDING;
    }
    ContainerStatus s = hydrate.get();
    ContainerState state = s.getState();
    Optional<ContainerStateTerminated> failure;
    if (state != null && state.getTerminated() != null) {
      if (exitCode(state.getTerminated()) == 0) {
        return PodState.Hydration.SUCCEEDED;
      }
      failure = Optional.of(state.getTerminated());
    } else {
      failure = lastFailure(s);
    }
    if (failure.isPresent()) {
      boolean retryable =
          exitCode(failure.get()) == HYDRATE_DOWNLOAD_FAILED
              && restarts(s) < HYDRATE_DOWNLOAD_RESTARTS;
      return retryable ? PodState.Hydration.RETRYING : PodState.Hydration.FAILED;
    }
    if (state != null && state.getRunning() != null) {
      return PodState.Hydration.RUNNING;
    }
    return PodState.Hydration.PENDING;
  }

  private static Optional<SessionFailure> problem(
      PodStatus status,
      Optional<ContainerStatus> hydrate,
      PodState.Hydration hydration,
      String hydrateMessage) {
    if (hydration == PodState.Hydration.FAILED) {
      return Optional.of(
          SessionFailure.permanentFailure(
              SessionReasons.HYDRATION_FAILED, "hydrate: " + hydrateMessage));
    }
    if (hydration == PodState.Hydration.RETRYING) {
      ContainerStatus h = hydrate.orElseThrow();
      return Optional.of(
          SessionFailure.transientFailure(
              SessionReasons.STORAGE_UNAVAILABLE,
              "hydrate: "
                  + failureMessage(h)
                  + "; the kubelet retries ("
                  + restarts(h)
                  + " of "
                  + HYDRATE_DOWNLOAD_RESTARTS
                  + " restarts)"));
    }
    List<ContainerStatus> all = new java.util.ArrayList<>(status.getInitContainerStatuses());
    all.addAll(status.getContainerStatuses());
    for (ContainerStatus s : all) {
      var waiting = s.getState() == null ? null : s.getState().getWaiting();
      if (waiting != null && IMAGE_PULL_REASONS.contains(waiting.getReason())) {
        return Optional.of(
            SessionFailure.permanentFailure(
                SessionReasons.IMAGE_PULL_FAILED,
                s.getName()
                    + ": image "
                    + s.getImage()
                    + " cannot be pulled: "
                    + text(waiting.getMessage(), waiting.getReason())));
      }
    }
    for (ContainerStatus s : status.getContainerStatuses()) {
      var waiting = s.getState() == null ? null : s.getState().getWaiting();
      if (waiting != null && "CrashLoopBackOff".equals(waiting.getReason())) {
        String last = lastFailure(s).map(PodInspection::describe).orElse("restarting");
        return Optional.of(
            SessionFailure.permanentFailure(
                SessionReasons.CONTAINER_CRASHING,
                s.getName() + " keeps crashing (" + s.getRestartCount() + " restarts): " + last));
      }
    }
    if ("Failed".equals(status.getPhase())) {
      return Optional.of(
          SessionFailure.permanentFailure(
              SessionReasons.POD_FAILED,
              "pod failed: " + text(status.getMessage(), status.getReason())));
    }
    Optional<PodCondition> scheduled = condition(status.getConditions(), "PodScheduled");
    if (scheduled.isPresent()
        && "False".equals(scheduled.get().getStatus())
        && "Unschedulable".equals(scheduled.get().getReason())) {
      return Optional.of(
          SessionFailure.transientFailure(
              SessionReasons.UNSCHEDULABLE,
              "pod cannot be scheduled: " + text(scheduled.get().getMessage(), "no node fits")));
    }
    return Optional.empty();
  }

  private static Optional<ContainerStateTerminated> lastFailure(ContainerStatus s) {
    ContainerState last = s.getLastState();
    if (last == null || last.getTerminated() == null || exitCode(last.getTerminated()) == 0) {
      return Optional.empty();
    }
    return Optional.of(last.getTerminated());
  }

  private static String failureMessage(ContainerStatus s) {
    ContainerState state = s.getState();
    if (state != null && state.getTerminated() != null) {
      return describe(state.getTerminated());
    }
    return lastFailure(s).map(PodInspection::describe).orElse("failed");
  }

  private static String describe(ContainerStateTerminated t) {
    String message = t.getMessage() == null ? "" : t.getMessage().strip();
    int newline = message.lastIndexOf('\n');
    if (newline >= 0) {
      message = message.substring(newline + 1);
    }
    String what = message.isEmpty() ? text(t.getReason(), "terminated") : message;
    return what + " (exit code " + exitCode(t) + ")";
  }

  private static int restarts(ContainerStatus s) {
    return s.getRestartCount() == null ? 0 : s.getRestartCount();
  }

  private static int exitCode(ContainerStateTerminated t) {
    return t.getExitCode() == null ? -1 : t.getExitCode();
  }

  private static Optional<PodCondition> condition(List<PodCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static String text(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
