package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a pod's status from its container records, as a kubelet reports it: phase, the conditions
 * {@code PodScheduled}, {@code PodReadyToStartContainers}, {@code Initialized}, {@code
 * ContainersReady}, {@code Ready} (a condition's {@code lastTransitionTime} moves only when its
 * status flips), pod and host IP, start time and the init/regular container statuses.
 */
final class PodStatusAssembler {
  private final String ip;
  private final Instant startTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Map<String, PodCondition> conditions = new HashMap<>();

  PodStatusAssembler(String ip) {
    this.ip = ip;
  }

  /**
   * @param sandboxReady volumes are prepared
   * @param failedMessage non-null when the pod has failed for good (an init container, under
   *     restartPolicy Never)
   * @param terminal no container will run again (restartPolicy)
   */
  PodStatus assemble(
      Collection<ContainerRecord> init,
      Collection<ContainerRecord> regular,
      boolean sandboxReady,
      String failedMessage,
      boolean terminal) {
    boolean initialized =
        init.stream()
            .allMatch(
                c ->
                    c.state == ContainerRecord.State.TERMINATED
                        && Integer.valueOf(0).equals(c.exitCode));
    boolean allReady = !regular.isEmpty() && regular.stream().allMatch(c -> c.ready);
    String phase = phase(regular, initialized, failedMessage, terminal);
    List<PodCondition> list = new ArrayList<>();
    list.add(condition("PodReadyToStartContainers", sandboxReady, null));
    list.add(
        condition("Initialized", initialized, initialized ? null : "ContainersNotInitialized"));
    list.add(condition("Ready", allReady, allReady ? null : "ContainersNotReady"));
    list.add(condition("ContainersReady", allReady, allReady ? null : "ContainersNotReady"));
    list.add(condition("PodScheduled", true, null));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(list)
        .withHostIP(ip)
        .withHostIPs(new HostIP(ip))
        .withPodIP(ip)
        .withPodIPs(new PodIP(ip))
        .withStartTime(startTime.toString())
        .withMessage(failedMessage)
        .withReason(failedMessage == null ? null : "Failed")
        .withInitContainerStatuses(init.stream().map(ContainerRecord::toStatus).toList())
        .withContainerStatuses(regular.stream().map(ContainerRecord::toStatus).toList())
        .withQosClass("BestEffort")
        .build();
  }

  private static String phase(
      Collection<ContainerRecord> regular,
      boolean initialized,
      String failedMessage,
      boolean terminal) {
    if (failedMessage != null) {
      return "Failed";
    }
    if (terminal) {
      return regular.stream().allMatch(c -> Integer.valueOf(0).equals(c.exitCode))
          ? "Succeeded"
          : "Failed";
    }
    if (!initialized) {
      return "Pending";
    }
    return regular.stream().allMatch(c -> c.instance > 0) ? "Running" : "Pending";
  }

  private PodCondition condition(String type, boolean status, String reason) {
    String value = status ? "True" : "False";
    PodCondition previous = conditions.get(type);
    String since =
        previous != null && previous.getStatus().equals(value)
            ? previous.getLastTransitionTime()
            : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    PodCondition c =
        new PodConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withLastTransitionTime(since)
            .build();
    conditions.put(type, c);
    return c;
  }
}
