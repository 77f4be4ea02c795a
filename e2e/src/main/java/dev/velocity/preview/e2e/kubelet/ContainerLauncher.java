package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves a pod's containers into {@link LaunchSpec}s: environment ({@link EnvResolver}), the
 * agent's defaults, mounts and ports ({@link HostMapping}), the image's local program ({@link
 * ImageTable}) and {@code $(VAR)} expansion of command and args.
 */
final class ContainerLauncher {
  private static final List<String> AGENT_PATH_VARS =
      List.of("WORKSPACE_DIR", "STATE_DIR", "TOKEN_FILE");

  private final Pod pod;
  private final PodLayout layout;
  private final PodVolumes volumes;
  private final EnvResolver env;
  private final ImageTable images;
  private final Map<Integer, Integer> ports;

  ContainerLauncher(
      Pod pod,
      PodLayout layout,
      PodVolumes volumes,
      EnvResolver env,
      ImageTable images,
      PortAllocator allocator) {
    this.pod = pod;
    this.layout = layout;
    this.volumes = volumes;
    this.env = env;
    this.images = images;
    this.ports = allocatePorts(pod, images, allocator);
  }

  /** Container port → host port for the whole pod. */
  Map<Integer, Integer> ports() {
    return ports;
  }

  LaunchSpec resolve(Container c) throws ContainerConfigException {
    Map<String, String> containerEnv = new LinkedHashMap<>(env.resolve(pod, c));
    boolean agent = images.isAgent(c);
    if (agent) {
      HostMapping.AGENT_DEFAULTS.forEach(containerEnv::putIfAbsent);
    }
    Path privateRoot = layout.privateRoot(c.getName());
    HostMapping mapping = new HostMapping(volumes.mountsOf(c), ports, privateRoot);
    Map<String, String> hostEnv = new LinkedHashMap<>(mapping.rewriteEnv(containerEnv));
    if (agent) {
      for (String var : AGENT_PATH_VARS) {
        String value = containerEnv.get(var);
        if (value != null && value.startsWith("/")) {
          hostEnv.put(var, mapping.hostPath(value).toString());
        }
      }
    }
    hostEnv.putIfAbsent("HOME", privateRoot.toString());
    ImageTable.Plan plan = images.plan(c);
    List<String> argv = new ArrayList<>(plan.program());
    argv.addAll(mapping.rewriteArgs(VarExpansion.expandAll(plan.args(), containerEnv)));
    Path workDir =
        c.getWorkingDir() == null || c.getWorkingDir().isEmpty()
            ? privateRoot
            : mapping.hostPath(c.getWorkingDir());
    Path siteRoot = null;
    int sitePort = 0;
    if (plan.kind() == ImageTable.Kind.STATIC_SITE) {
      siteRoot = siteRoot(c, mapping, workDir);
      int containerPort = sitePort(c, containerEnv);
      sitePort = mapping.hostPort(containerPort).orElseThrow();
    }
    return new LaunchSpec(
        plan.kind(),
        argv,
        containerEnv,
        hostEnv,
        workDir,
        layout.log(c.getName()),
        mapping,
        siteRoot,
        sitePort);
  }

  private Path siteRoot(Container c, HostMapping mapping, Path workDir) {
    if (c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()) {
      return workDir;
    }
    return c.getVolumeMounts().stream()
        .findFirst()
        .flatMap(m -> mapping.mounted(m.getMountPath()))
        .orElse(workDir);
  }

  private static int sitePort(Container c, Map<String, String> env) {
    Optional<Integer> declared =
        c.getPorts().stream().map(ContainerPort::getContainerPort).findFirst();
    return declared.orElseGet(() -> intValue(env.get("PORT")).orElse(3000));
  }

  private static Map<Integer, Integer> allocatePorts(
      Pod pod, ImageTable images, PortAllocator allocator) {
    List<Integer> wanted = new ArrayList<>();
    List<Container> all = new ArrayList<>(pod.getSpec().getInitContainers());
    all.addAll(pod.getSpec().getContainers());
    for (Container c : all) {
      c.getPorts().forEach(p -> wanted.add(p.getContainerPort()));
      Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())
          .map(ContainerLauncher::probePort)
          .flatMap(Optional::stream)
          .forEach(wanted::add);
      c.getEnv().stream()
          .filter(e -> e.getName().endsWith("PORT") && e.getValueFrom() == null)
          .map(e -> intValue(e.getValue()))
          .flatMap(Optional::stream)
          .forEach(wanted::add);
      if (images.isAgent(c)) {
        wanted.add(HostMapping.AGENT_HEALTH_PORT);
      }
      if (images.plan(c).kind() == ImageTable.Kind.STATIC_SITE && c.getPorts().isEmpty()) {
        wanted.add(3000);
      }
    }
    Map<Integer, Integer> map = new LinkedHashMap<>();
    for (int port : wanted) {
      if (port > 0 && port < 65536) {
        map.computeIfAbsent(port, p -> allocator.next());
      }
    }
    return Map.copyOf(map);
  }

  private static Optional<Integer> probePort(Probe probe) {
    if (probe == null) {
      return Optional.empty();
    }
    if (probe.getHttpGet() != null && probe.getHttpGet().getPort().getIntVal() != null) {
      return Optional.of(probe.getHttpGet().getPort().getIntVal());
    }
    if (probe.getTcpSocket() != null && probe.getTcpSocket().getPort().getIntVal() != null) {
      return Optional.of(probe.getTcpSocket().getPort().getIntVal());
    }
    return Optional.empty();
  }

  private static Optional<Integer> intValue(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
