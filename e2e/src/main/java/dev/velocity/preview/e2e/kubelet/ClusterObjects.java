package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Where the kubelet reads the Secrets and ConfigMaps a pod references. */
public interface ClusterObjects {
  Optional<Secret> secret(String namespace, String name);

  Optional<ConfigMap> configMap(String namespace, String name);

  /**
   * A Secret's keys and decoded bytes. {@code stringData} is honoured as well: a real API server
   * folds it into {@code data} on write, the mock API server stores it as sent.
   */
  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> out.put(k, Base64.getMimeDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** A ConfigMap's keys and bytes ({@code data} as UTF-8, {@code binaryData} decoded). */
  static Map<String, byte[]> configMapData(ConfigMap map) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (map.getData() != null) {
      map.getData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (map.getBinaryData() != null) {
      map.getBinaryData().forEach((k, v) -> out.put(k, Base64.getMimeDecoder().decode(v)));
    }
    return out;
  }
}
