package dev.velocity.preview.operator.snapshot;

import java.time.Duration;
import java.util.UUID;

/**
 * A finished snapshot of one project at one revision, in object storage.
 *
 * @param projectId the project
 * @param revision the project revision the zip holds exactly
 * @param key object key of the zip, {@code snapshots/{projectId}/{revision}.zip}
 * @param manifestKey object key of the manifest, {@code snapshots/{projectId}/{revision}.json}
 * @param sha256 hex SHA-256 of the zip
 * @param files number of files in the zip
 * @param bytes size of the zip
 * @param buildTime how long this call took (a build, or finding the existing snapshot)
 * @param reused whether an existing snapshot was returned rather than built by this call
 */
public record Snapshot(
    UUID projectId,
    long revision,
    String key,
    String manifestKey,
    String sha256,
    int files,
    long bytes,
    Duration buildTime,
    boolean reused) {}
