package dev.velocity.preview.operator.storage;

import java.time.Instant;
import java.util.Map;

/**
 * What a HEAD of one object says.
 *
 * @param key the object key
 * @param size its size in bytes
 * @param lastModified when it was written
 * @param metadata user metadata, names lower-case without the {@code x-amz-meta-} prefix
 */
public record ObjectInfo(
    String key, long size, Instant lastModified, Map<String, String> metadata) {
  /** Copies {@code metadata}. */
  public ObjectInfo {
    metadata = Map.copyOf(metadata);
  }
}
