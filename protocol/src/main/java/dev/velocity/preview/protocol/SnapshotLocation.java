package dev.velocity.preview.protocol;

/**
 * Where a snapshot can be downloaded: the gateway's {@code POST /v1/projects/{id}/snapshot} answer
 * (DESIGN.md §6).
 */
public record SnapshotLocation(String url, String sha256, long revision) {}
