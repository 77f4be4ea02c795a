package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod's volumes as directories: {@code emptyDir} → a fresh directory; {@code secret}, {@code
 * configMap}, {@code downwardAPI} and {@code projected} → files written atomically ({@link
 * AtomicProjection}) and rewritten whenever the source object changes, as a kubelet does. Other
 * volume types are refused with a waiting reason (they cannot be emulated faithfully here).
 */
final class PodVolumes {
  private final Pod pod;
  private final PodLayout layout;
  private final ClusterObjects objects;
  private final EnvResolver fields;

  PodVolumes(Pod pod, PodLayout layout, ClusterObjects objects, EnvResolver fields) {
    this.pod = pod;
    this.layout = layout;
    this.objects = objects;
    this.fields = fields;
  }

  /** Creates every volume; throws while a referenced object is missing. */
  void prepare() throws ContainerConfigException {
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getEmptyDir() != null) {
        mkdirs(layout.volume(v.getName()));
      } else {
        project(v);
      }
    }
  }

  /**
   * Rewrites the volumes that project {@code kind} ({@code Secret}/{@code ConfigMap}) {@code name}.
   */
  boolean refresh(String kind, String name) throws ContainerConfigException {
    boolean changed = false;
    for (Volume v : pod.getSpec().getVolumes()) {
      if (references(v, kind, name)) {
        changed |= project(v);
      }
    }
    return changed;
  }

  /** True when some volume of the pod projects that object. */
  boolean references(String kind, String name) {
    return pod.getSpec().getVolumes().stream().anyMatch(v -> references(v, kind, name));
  }

  /** Container mount path → host path for {@code container}'s volumeMounts. */
  Map<String, Path> mountsOf(Container container) throws ContainerConfigException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount m : container.getVolumeMounts()) {
      boolean known =
          pod.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()));
      if (!known) {
        throw new ContainerConfigException(
            "CreateContainerConfigError",
            "volumeMount "
                + m.getName()
                + " of container "
                + container.getName()
                + " has no volume");
      }
      Path dir = layout.volume(m.getName());
      String sub = Objects.requireNonNullElse(m.getSubPath(), "");
      Path host = sub.isEmpty() ? dir : dir.resolve(sub).normalize();
      if (!host.startsWith(dir)) {
        throw new ContainerConfigException(
            "CreateContainerConfigError", "subPath escapes volume " + m.getName() + ": " + sub);
      }
      mounts.put(m.getMountPath(), host);
    }
    return mounts;
  }

  private boolean project(Volume v) throws ContainerConfigException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    int mode = 0644;
    if (v.getSecret() != null) {
      var s = v.getSecret();
      mode = Objects.requireNonNullElse(s.getDefaultMode(), 0644);
      addSecret(files, s.getSecretName(), s.getItems(), Boolean.TRUE.equals(s.getOptional()));
    } else if (v.getConfigMap() != null) {
      var c = v.getConfigMap();
      mode = Objects.requireNonNullElse(c.getDefaultMode(), 0644);
      addConfigMap(files, c.getName(), c.getItems(), Boolean.TRUE.equals(c.getOptional()));
    } else if (v.getDownwardAPI() != null) {
      mode = Objects.requireNonNullElse(v.getDownwardAPI().getDefaultMode(), 0644);
      addDownward(files, v.getDownwardAPI().getItems());
    } else if (v.getProjected() != null) {
      mode = Objects.requireNonNullElse(v.getProjected().getDefaultMode(), 0644);
      for (VolumeProjection p : v.getProjected().getSources()) {
        if (p.getSecret() != null) {
          addSecret(
              files,
              p.getSecret().getName(),
              p.getSecret().getItems(),
              Boolean.TRUE.equals(p.getSecret().getOptional()));
        } else if (p.getConfigMap() != null) {
          addConfigMap(
              files,
              p.getConfigMap().getName(),
              p.getConfigMap().getItems(),
              Boolean.TRUE.equals(p.getConfigMap().getOptional()));
        } else if (p.getDownwardAPI() != null) {
          addDownward(files, p.getDownwardAPI().getItems());
        } else {
          throw unsupported(v, "projected source " + p);
        }
      }
    } else {
      throw unsupported(v, "volume type");
    }
    return AtomicProjection.write(layout.volume(v.getName()), files, mode);
  }

  private void addSecret(
      Map<String, byte[]> files, String name, List<KeyToPath> items, boolean optional)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    Optional<Secret> secret = objects.secret(ns, name);
    if (secret.isEmpty()) {
      if (optional) {
        return;
      }
      throw new ContainerConfigException(
          "ContainerCreating", "MountVolume.SetUp failed: secret \"" + name + "\" not found");
    }
    select(files, ClusterObjects.secretData(secret.get()), items, optional, "Secret " + name);
  }

  private void addConfigMap(
      Map<String, byte[]> files, String name, List<KeyToPath> items, boolean optional)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    Optional<ConfigMap> map = objects.configMap(ns, name);
    if (map.isEmpty()) {
      if (optional) {
        return;
      }
      throw new ContainerConfigException(
          "ContainerCreating", "MountVolume.SetUp failed: configmap \"" + name + "\" not found");
    }
    select(files, ClusterObjects.configMapData(map.get()), items, optional, "ConfigMap " + name);
  }

  private static void select(
      Map<String, byte[]> files,
      Map<String, byte[]> data,
      List<KeyToPath> items,
      boolean optional,
      String what)
      throws ContainerConfigException {
    if (items == null || items.isEmpty()) {
      files.putAll(data);
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new ContainerConfigException(
            "ContainerCreating",
            "MountVolume.SetUp failed: key " + item.getKey() + " not in " + what);
      }
      files.put(item.getPath(), value);
    }
  }

  private void addDownward(Map<String, byte[]> files, List<DownwardAPIVolumeFile> items)
      throws ContainerConfigException {
    for (DownwardAPIVolumeFile item : items) {
      if (item.getFieldRef() == null) {
        throw new ContainerConfigException(
            "ContainerCreating",
            "downwardAPI item " + item.getPath() + ": only fieldRef is supported");
      }
      files.put(
          item.getPath(), fields.field(pod, item.getFieldRef()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static boolean references(Volume v, String kind, String name) {
    if (kind.equals("Secret")) {
      if (v.getSecret() != null) {
        return name.equals(v.getSecret().getSecretName());
      }
      return v.getProjected() != null
          && v.getProjected().getSources().stream()
              .anyMatch(p -> p.getSecret() != null && name.equals(p.getSecret().getName()));
    }
    if (v.getConfigMap() != null) {
      return name.equals(v.getConfigMap().getName());
    }
    return v.getProjected() != null
        && v.getProjected().getSources().stream()
            .anyMatch(p -> p.getConfigMap() != null && name.equals(p.getConfigMap().getName()));
  }

  private static ContainerConfigException unsupported(Volume v, String what) {
    return new ContainerConfigException(
        "ContainerCreating",
        "volume " + v.getName() + ": " + what + " is not supported by the process kubelet");
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}
