package dev.velocity.preview.operator.storage;

import java.time.Instant;

/**
 * One listed object.
 *
 * @param key the object key
 * @param size its size in bytes
 * @param lastModified when it was written
 */
public record StoredObject(String key, long size, Instant lastModified) {}
