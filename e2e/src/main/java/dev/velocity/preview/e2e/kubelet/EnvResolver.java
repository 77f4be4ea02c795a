package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves a container's environment like a kubelet: {@code envFrom} first, then {@code env} in
 * order, with {@code secretKeyRef}, {@code configMapKeyRef}, {@code fieldRef}, {@code
 * resourceFieldRef} and {@code $(VAR)} references to earlier variables.
 */
final class EnvResolver {
  private final ClusterObjects objects;
  private final String podIp;
  private final String hostIp;

  EnvResolver(ClusterObjects objects, String podIp, String hostIp) {
    this.objects = objects;
    this.podIp = podIp;
    this.hostIp = hostIp;
  }

  Map<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        Optional<Secret> secret = objects.secret(ns, name);
        if (secret.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
          throw missing("secret", ns, name);
        }
        secret.ifPresent(
            s -> ClusterObjects.secretData(s).forEach((k, v) -> env.put(prefix + k, utf8(v))));
      }
      if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        Optional<ConfigMap> map = objects.configMap(ns, name);
        if (map.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
          throw missing("configmap", ns, name);
        }
        map.ifPresent(
            m -> ClusterObjects.configMapData(m).forEach((k, v) -> env.put(prefix + k, utf8(v))));
      }
    }
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(
            var.getName(),
            VarExpansion.expand(Objects.requireNonNullElse(var.getValue(), ""), env));
        continue;
      }
      String value = valueFrom(pod, container, var.getValueFrom());
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private String valueFrom(Pod pod, Container container, EnvVarSource source)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    if (source.getSecretKeyRef() != null) {
      SecretKeySelector ref = source.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<Secret> secret = objects.secret(ns, ref.getName());
      if (secret.isEmpty()) {
        if (optional) {
          return null;
        }
        throw missing("secret", ns, ref.getName());
      }
      byte[] value = ClusterObjects.secretData(secret.get()).get(ref.getKey());
      if (value == null && !optional) {
        throw new ContainerConfigException(
            "CreateContainerConfigError",
            "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return value == null ? null : utf8(value);
    }
    if (source.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = source.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<ConfigMap> map = objects.configMap(ns, ref.getName());
      if (map.isEmpty()) {
        if (optional) {
          return null;
        }
        throw missing("configmap", ns, ref.getName());
      }
      byte[] value = ClusterObjects.configMapData(map.get()).get(ref.getKey());
      if (value == null && !optional) {
        throw new ContainerConfigException(
            "CreateContainerConfigError",
            "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return value == null ? null : utf8(value);
    }
    if (source.getFieldRef() != null) {
      return field(pod, source.getFieldRef());
    }
    if (source.getResourceFieldRef() != null) {
      return resource(container, source.getResourceFieldRef());
    }
    throw new ContainerConfigException(
        "CreateContainerConfigError", "unsupported env valueFrom: " + source);
  }

  /** The downward API fields a kubelet resolves (also used by downwardAPI volumes). */
  String field(Pod pod, ObjectFieldSelector selector) throws ContainerConfigException {
    String path = selector.getFieldPath();
    var meta = pod.getMetadata();
    switch (path) {
      case "metadata.name":
        return meta.getName();
      case "metadata.namespace":
        return meta.getNamespace();
      case "metadata.uid":
        return meta.getUid();
      case "spec.nodeName":
        return Objects.requireNonNullElse(pod.getSpec().getNodeName(), hostIp);
      case "spec.serviceAccountName":
        return Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "default");
      case "status.podIP":
      case "status.podIPs":
        return podIp;
      case "status.hostIP":
      case "status.hostIPs":
        return hostIp;
      default:
        break;
    }
    if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
      String key = path.substring("metadata.labels['".length(), path.length() - 2);
      return Objects.requireNonNullElse(meta.getLabels(), Map.<String, String>of())
          .getOrDefault(key, "");
    }
    if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
      String key = path.substring("metadata.annotations['".length(), path.length() - 2);
      return Objects.requireNonNullElse(meta.getAnnotations(), Map.<String, String>of())
          .getOrDefault(key, "");
    }
    throw new ContainerConfigException(
        "CreateContainerConfigError", "unsupported fieldRef fieldPath: " + path);
  }

  private static String resource(Container container, ResourceFieldSelector selector)
      throws ContainerConfigException {
    String what = selector.getResource();
    var resources = container.getResources();
    Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
    Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
    Map<String, Quantity> source = what.startsWith("limits.") ? limits : requests;
    String key = what.substring(what.indexOf('.') + 1);
    Quantity q = source == null ? null : source.get(key);
    if (q == null) {
      // a kubelet reports node allocatable for an unset limit: this machine's
      return key.equals("cpu")
          ? String.valueOf(Runtime.getRuntime().availableProcessors())
          : String.valueOf(Runtime.getRuntime().maxMemory());
    }
    BigDecimal amount = q.getNumericalAmount();
    BigDecimal divisor =
        selector.getDivisor() == null ? BigDecimal.ONE : selector.getDivisor().getNumericalAmount();
    if (divisor.signum() == 0) {
      throw new ContainerConfigException(
          "CreateContainerConfigError", "resourceFieldRef divisor is zero: " + what);
    }
    return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  private static ContainerConfigException missing(String kind, String ns, String name) {
    return new ContainerConfigException(
        "CreateContainerConfigError", kind + " \"" + name + "\" not found in namespace " + ns);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
