package dev.velocity.preview.e2e.kubelet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the process kubelet runs pods on this machine.
 *
 * @param root directory under which every pod gets {@code pods/<namespace>_<name>_<uid>/}
 * @param nodeName the node name reported in {@code spec.nodeName}-style fields and {@code hostIP}
 * @param images which local command runs which image
 * @param restartBackoffBase delay before restarting a container that crashed again within the
 *     back-off (doubles each time); its first crash is restarted at once, as by a real kubelet
 * @param restartBackoffMax cap of that delay
 * @param unreadyProbeInterval how often a readiness/startup probe runs until it first succeeds;
 *     afterwards the probe's own {@code periodSeconds} applies (a real kubelet waits a full period,
 *     which would dominate start-up time on one machine)
 * @param maxTerminationGrace cap on a pod's {@code terminationGracePeriodSeconds}
 * @param keepPodDirectories keep a deleted pod's directories (for inspection) instead of removing
 */
public record KubeletConfig(
    Path root,
    String nodeName,
    ImageTable images,
    Duration restartBackoffBase,
    Duration restartBackoffMax,
    Duration unreadyProbeInterval,
    Duration maxTerminationGrace,
    boolean keepPodDirectories) {

  public KubeletConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(images, "images");
    if (restartBackoffBase.isNegative() || restartBackoffMax.compareTo(restartBackoffBase) < 0) {
      throw new IllegalArgumentException("restart backoff must satisfy 0 <= base <= max");
    }
  }

  /** Defaults tuned for one machine: fast restarts and probes, short grace. */
  public static KubeletConfig defaults(Path root, ImageTable images) {
    return new KubeletConfig(
        root,
        "local-kubelet",
        images,
        Duration.ofMillis(250),
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        Duration.ofSeconds(5),
        false);
  }

  /** The same configuration with another restart backoff. */
  public KubeletConfig withRestartBackoff(Duration base, Duration max) {
    return new KubeletConfig(
        root,
        nodeName,
        images,
        base,
        max,
        unreadyProbeInterval,
        maxTerminationGrace,
        keepPodDirectories);
  }

  /** The same configuration, keeping deleted pods' directories or not. */
  public KubeletConfig withKeepPodDirectories(boolean keep) {
    return new KubeletConfig(
        root,
        nodeName,
        images,
        restartBackoffBase,
        restartBackoffMax,
        unreadyProbeInterval,
        maxTerminationGrace,
        keep);
  }
}
