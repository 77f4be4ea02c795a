package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Instant;

/** What the kubelet knows about one container of a pod, turned into its {@code ContainerStatus}. */
final class ContainerRecord {
  enum State {
    WAITING,
    RUNNING,
    TERMINATED
  }

  final String name;
  final String image;
  final boolean init;
  State state = State.WAITING;
  String reason;
  String message;
  Integer exitCode;
  String containerId;
  Instant startedAt;
  Instant finishedAt;
  ContainerState lastState;
  int restartCount;
  boolean ready;
  boolean started;

  /** Incremented on every start, so events of an earlier instance are recognised as stale. */
  int instance;

  ContainerRecord(String name, String image, boolean init, String waitingReason) {
    this.name = name;
    this.image = image;
    this.init = init;
    this.reason = waitingReason;
  }

  void waiting(String reason, String message) {
    state = State.WAITING;
    this.reason = reason;
    this.message = message;
    ready = false;
    started = false;
  }

  void running(String id) {
    state = State.RUNNING;
    containerId = id;
    startedAt = Instant.now();
    finishedAt = null;
    exitCode = null;
    reason = null;
    message = null;
    ready = false;
    started = false;
    instance++;
  }

  void terminated(int code, String terminationMessage) {
    state = State.TERMINATED;
    exitCode = code;
    reason = code == 0 ? "Completed" : "Error";
    message = terminationMessage;
    finishedAt = Instant.now();
    ready = false;
    started = false;
  }

  /** Moves the current terminated state to {@code lastState} before a restart. */
  void rememberTermination() {
    lastState = currentState();
    restartCount++;
  }

  ContainerStatus toStatus() {
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(image == null ? "" : "local://" + image)
        .withContainerID(containerId)
        .withRestartCount(restartCount)
        .withReady(ready)
        .withStarted(state == State.RUNNING ? started : null)
        .withState(currentState())
        .withLastState(lastState == null ? new ContainerState() : lastState)
        .build();
  }

  private ContainerState currentState() {
    switch (state) {
      case RUNNING:
        return new ContainerStateBuilder()
            .withNewRunning()
            .withStartedAt(startedAt.toString())
            .endRunning()
            .build();
      case TERMINATED:
        return new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(reason)
            .withMessage(message)
            .withContainerID(containerId)
            .withStartedAt(startedAt == null ? null : startedAt.toString())
            .withFinishedAt(finishedAt.toString())
            .endTerminated()
            .build();
      default:
        return new ContainerStateBuilder()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .build();
    }
  }
}
