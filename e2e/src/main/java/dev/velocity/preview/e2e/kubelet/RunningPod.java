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
}
