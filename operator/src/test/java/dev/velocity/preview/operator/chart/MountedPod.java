package dev.velocity.preview.operator.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet would give the first container of a rendered pod: its environment (the
 * ConfigMap's entries, then {@code env}; Secret references resolved from the rendered Secrets) and
 * its Secret, ConfigMap and projected volumes written under a directory. Paths in the environment
 * that point into a mount are rewritten to the directory, so the project's own config records can
 * read the files.
 */
final class MountedPod {

  private final Map<String, String> env;

  private MountedPod(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  static MountedPod of(RenderedManifests rendered, String pod, Path root) {
    return of(rendered, pod, root, List.of());
  }

  /** As {@link #of(RenderedManifests, String, Path)}, with Secrets the cluster already has. */
  static MountedPod of(
      RenderedManifests rendered, String pod, Path root, List<Secret> existingSecrets) {
    Map<String, Secret> secrets = new LinkedHashMap<>();
    existingSecrets.forEach(s -> secrets.put(s.getMetadata().getName(), s));
    rendered.all(Secret.class).forEach(s -> secrets.put(s.getMetadata().getName(), s));
    PodSpec spec = rendered.podSpecs().get(pod);
    if (spec == null) {
      throw new IllegalArgumentException(pod + " not rendered: " + rendered.names());
    }
    Container container = spec.getContainers().get(0);
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Path dir = root.resolve(mount.getMountPath().substring(1));
      write(rendered, secrets, volume(spec, mount.getName()), dir);
      mounts.put(mount.getMountPath(), dir);
    }
    Map<String, String> env = new LinkedHashMap<>();
    container
        .getEnvFrom()
        .forEach(
            source ->
                env.putAll(
                    rendered.get(ConfigMap.class, source.getConfigMapRef().getName()).getData()));
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), value(secrets, var));
    }
    env.replaceAll((name, value) -> rewrite(value, mounts));
    return new MountedPod(env);
  }

  Map<String, String> env() {
    return env;
  }

  private static String value(Map<String, Secret> secrets, EnvVar var) {
    if (var.getValueFrom() == null) {
      return var.getValue();
    }
    if (var.getValueFrom().getFieldRef() != null) {
      return switch (var.getValueFrom().getFieldRef().getFieldPath()) {
        case "metadata.name" -> "pod-0";
        case "metadata.namespace" -> ChartUnderTest.NAMESPACE;
        default ->
            throw new IllegalArgumentException(
                "unexpected fieldRef " + var.getValueFrom().getFieldRef().getFieldPath());
      };
    }
    var ref = var.getValueFrom().getSecretKeyRef();
    Secret secret = secrets.get(ref.getName());
    return secret == null
        ? "from-secret-" + ref.getName() + "-" + ref.getKey()
        : decode(secret.getData().get(ref.getKey()));
  }

  private static String rewrite(String value, Map<String, Path> mounts) {
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      if (value != null && value.startsWith(mount.getKey())) {
        return mount.getValue() + value.substring(mount.getKey().length());
      }
    }
    return value;
  }

  private static void write(
      RenderedManifests rendered, Map<String, Secret> secrets, Volume volume, Path dir) {
    try {
      Files.createDirectories(dir);
      if (volume.getSecret() != null) {
        Secret secret = secret(secrets, volume.getSecret().getSecretName());
        writeItems(secret.getData(), volume.getSecret().getItems(), dir, true);
      } else if (volume.getProjected() != null) {
        for (VolumeProjection source : volume.getProjected().getSources()) {
          if (source.getSecret() != null) {
            Secret secret = secret(secrets, source.getSecret().getName());
            writeItems(secret.getData(), source.getSecret().getItems(), dir, true);
          } else {
            ConfigMap map = rendered.get(ConfigMap.class, source.getConfigMap().getName());
            writeItems(map.getData(), source.getConfigMap().getItems(), dir, false);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeItems(
      Map<String, String> data, List<KeyToPath> items, Path dir, boolean base64)
      throws IOException {
    Map<String, String> paths = new LinkedHashMap<>();
    if (items.isEmpty()) {
      data.keySet().forEach(key -> paths.put(key, key));
    } else {
      items.forEach(item -> paths.put(item.getKey(), item.getPath()));
    }
    for (Map.Entry<String, String> path : paths.entrySet()) {
      String content = data.get(path.getKey());
      if (content == null) {
        throw new IllegalStateException("key " + path.getKey() + " missing from " + data.keySet());
      }
      Path file = dir.resolve(path.getValue());
      if (Files.exists(file)) {
        throw new IllegalStateException("two sources project " + file);
      }
      Files.writeString(file, base64 ? decode(content) : content);
    }
  }

  private static Secret secret(Map<String, Secret> secrets, String name) {
    Secret secret = secrets.get(name);
    if (secret == null) {
      throw new IllegalStateException("Secret " + name + " is neither rendered nor existing");
    }
    return secret;
  }

  private static Volume volume(PodSpec spec, String name) {
    return spec.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no volume " + name));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
