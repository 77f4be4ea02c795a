package dev.velocity.preview.operator.chart;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Pod Security Standards {@code restricted} profile (Kubernetes 1.25+, the checks of
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/), plus this project's rule
 * of a read-only root filesystem: the list of what a pod spec breaks, empty when it passes.
 */
final class RestrictedPodSecurity {

  private static final Set<String> ALLOWED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");
  private static final Set<String> ALLOWED_SECCOMP = Set.of("RuntimeDefault", "Localhost");

  private RestrictedPodSecurity() {}

  static List<String> violations(PodSpec pod) {
    List<String> violations = new ArrayList<>();
    PodSecurityContext podContext =
        Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      violations.add("hostNetwork");
    }
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      violations.add("hostPID");
    }
    if (Boolean.TRUE.equals(pod.getHostIPC())) {
      violations.add("hostIPC");
    }
    if (Long.valueOf(0).equals(podContext.getRunAsUser())) {
      violations.add("pod runAsUser 0");
    }
    for (Volume volume : pod.getVolumes()) {
      String type = volumeType(volume);
      if (!ALLOWED_VOLUME_TYPES.contains(type)) {
        violations.add("volume " + volume.getName() + " of type " + type);
      }
    }
    containers(pod).forEach(c -> checkContainer(c, podContext, violations));
    return violations;
  }

  private static void checkContainer(
      Container container, PodSecurityContext pod, List<String> violations) {
    String name = "container " + container.getName() + ": ";
    SecurityContext context =
        Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
    if (Boolean.TRUE.equals(context.getPrivileged())) {
      violations.add(name + "privileged");
    }
    if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
      violations.add(name + "allowPrivilegeEscalation is not false");
    }
    Boolean runAsNonRoot =
        context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : pod.getRunAsNonRoot();
    if (!Boolean.TRUE.equals(runAsNonRoot)) {
      violations.add(name + "runAsNonRoot is not true");
    }
    Long runAsUser = context.getRunAsUser() != null ? context.getRunAsUser() : pod.getRunAsUser();
    if (Long.valueOf(0).equals(runAsUser)) {
      violations.add(name + "runAsUser 0");
    }
    SeccompProfile seccomp =
        context.getSeccompProfile() != null ? context.getSeccompProfile() : pod.getSeccompProfile();
    if (seccomp == null || !ALLOWED_SECCOMP.contains(seccomp.getType())) {
      violations.add(name + "seccompProfile is not RuntimeDefault or Localhost");
    }
    Capabilities capabilities =
        Optional.ofNullable(context.getCapabilities()).orElseGet(Capabilities::new);
    if (!capabilities.getDrop().contains("ALL")) {
      violations.add(name + "capabilities do not drop ALL");
    }
    capabilities.getAdd().stream()
        .filter(capability -> !"NET_BIND_SERVICE".equals(capability))
        .forEach(capability -> violations.add(name + "adds capability " + capability));
    if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
      violations.add(name + "root filesystem is not read-only");
    }
    for (ContainerPort port : container.getPorts()) {
      if (port.getHostPort() != null && port.getHostPort() != 0) {
        violations.add(name + "hostPort " + port.getHostPort());
      }
    }
  }

  private static Stream<Container> containers(PodSpec pod) {
    return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream());
  }

  private static String volumeType(Volume volume) {
    if (volume.getConfigMap() != null) {
      return "configMap";
    }
    if (volume.getCsi() != null) {
      return "csi";
    }
    if (volume.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (volume.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (volume.getEphemeral() != null) {
      return "ephemeral";
    }
    if (volume.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (volume.getProjected() != null) {
      return "projected";
    }
    if (volume.getSecret() != null) {
      return "secret";
    }
    return volume.getHostPath() != null ? "hostPath" : "other";
  }
}
