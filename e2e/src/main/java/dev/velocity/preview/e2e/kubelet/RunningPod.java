package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A pod as this kubelet runs it: the Pod it admitted, its directories and its port map.
 *
 * @param pod the Pod as admitted (spec; the status lives in the API server)
 * @param layout its directories
 * @param ports container port → host port
 */
public record RunningPod(Pod pod, PodLayout layout, Map<Integer, Integer> ports) {
  /** The host port of a container port. */
  public Optional<Integer> hostPort(int containerPort) {
    return Optional.ofNullable(ports.get(containerPort));
  }

  /** A volume's directory on this machine. */
  public Path volume(String name) {
    return layout.volume(name);
  }

  /**
   * Where {@code containerPath} of {@code container} is on this machine, through its volume mounts
   * (the same rule as {@link HostMapping}); empty when no mount holds it.
   */
  public Optional<Path> hostPath(String container, String containerPath) {
    Map<String, Path> mounts = new java.util.LinkedHashMap<>();
    java.util.stream.Stream.concat(
            pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .filter(c -> c.getName().equals(container))
        .findFirst()
        .ifPresent(
            c ->
                c.getVolumeMounts()
                    .forEach(
                        m -> {
                          Path dir = layout.volume(m.getName());
                          String sub = m.getSubPath() == null ? "" : m.getSubPath();
                          mounts.put(m.getMountPath(), sub.isEmpty() ? dir : dir.resolve(sub));
                        }));
    return new HostMapping(mounts, Map.of(), layout.privateRoot(container)).mounted(containerPath);
  }
}
