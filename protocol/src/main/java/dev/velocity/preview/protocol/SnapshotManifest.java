package dev.velocity.preview.protocol;

import java.util.List;

/**
 * The manifest stored beside each snapshot zip as {@code snapshots/{projectId}/{revision}.json}
 * (DESIGN.md §4).
 */
public record SnapshotManifest(
    String projectId, long revision, int fileCount, long bytes, String sha256, List<Entry> files) {

  /** One file of the snapshot. */
  public record Entry(String path, int version, String sha256, long size) {}
}
