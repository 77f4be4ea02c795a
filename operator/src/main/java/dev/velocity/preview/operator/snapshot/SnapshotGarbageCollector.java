package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Deletes old, unreferenced snapshots (see {@link SnapshotBuilder#collectGarbage}). */
final class SnapshotGarbageCollector {
  private final ObjectStore store;
  private final Clock clock;

  private static final class Pair {
    StoredObject zip;
    StoredObject manifest;

    Instant newest() {
      Instant a = zip == null ? Instant.MIN : zip.lastModified();
      Instant b = manifest == null ? Instant.MIN : manifest.lastModified();
      return a.isAfter(b) ? a : b;
    }
  }

  SnapshotGarbageCollector(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  List<String> collect(Duration retention, Set<String> referencedKeys) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    }
    Instant cutoff = clock.instant().minus(retention);
    Map<UUID, TreeMap<Long, Pair>> byProject = new HashMap<>();
    for (StoredObject object : store.list(SnapshotKeys.PREFIX)) {
      SnapshotKeys.parse(object.key())
          .ifPresent(
              parsed -> {
                Pair pair =
                    byProject
                        .computeIfAbsent(parsed.projectId(), p -> new TreeMap<>())
                        .computeIfAbsent(parsed.revision(), r -> new Pair());
                if (parsed.manifest()) {
                  pair.manifest = object;
                } else {
                  pair.zip = object;
                }
              });
    }
    List<String> deleted = new ArrayList<>();
    for (Map.Entry<UUID, TreeMap<Long, Pair>> project : byProject.entrySet()) {
      Long newestFinished = null;
      for (Map.Entry<Long, Pair> e : project.getValue().descendingMap().entrySet()) {
        if (e.getValue().manifest != null && e.getValue().zip != null) {
          newestFinished = e.getKey();
          break;
        }
      }
      for (Map.Entry<Long, Pair> e : project.getValue().entrySet()) {
        Pair pair = e.getValue();
        String zipKey = SnapshotKeys.zip(project.getKey(), e.getKey());
        String manifestKey = SnapshotKeys.manifest(project.getKey(), e.getKey());
        boolean referenced =
            referencedKeys.contains(zipKey) || referencedKeys.contains(manifestKey);
        if (referenced || e.getKey().equals(newestFinished) || pair.newest().isAfter(cutoff)) {
          continue;
        }
        // manifest first: a zip without a manifest is never mistaken for a finished snapshot
        if (pair.manifest != null) {
          store.delete(manifestKey);
          deleted.add(manifestKey);
        }
        if (pair.zip != null) {
          store.delete(zipKey);
          deleted.add(zipKey);
        }
      }
    }
    return deleted;
  }
}
