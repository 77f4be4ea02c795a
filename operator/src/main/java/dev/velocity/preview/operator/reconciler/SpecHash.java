package dev.velocity.preview.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.velocity.preview.protocol.ContentHash;
import io.fabric8.kubernetes.api.model.PodSpec;

/** A short, stable hash of a pod spec: equal specs hash equal, whatever the map order. */
final class SpecHash {

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private SpecHash() {}

  static String of(PodSpec spec) {
    try {
      return ContentHash.sha256Hex(CANONICAL.writeValueAsBytes(spec)).substring(0, 16);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("pod spec cannot be serialized", e);
    }
  }
}
