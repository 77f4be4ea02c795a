package dev.velocity.preview.operator.snapshot;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The object keys of DESIGN.md §4: snapshots, their manifests and binary blobs. */
public final class SnapshotKeys {
  /** Prefix of every snapshot object. */
  public static final String PREFIX = "snapshots/";

  private static final Pattern SNAPSHOT =
      Pattern.compile("snapshots/([0-9a-f-]{36})/(0|[1-9][0-9]{0,18})\\.(zip|json)");

  private SnapshotKeys() {}

  /** {@code snapshots/{projectId}/{revision}.zip}. */
  public static String zip(UUID projectId, long revision) {
    return PREFIX + projectId + "/" + revision + ".zip";
  }

  /** {@code snapshots/{projectId}/{revision}.json}. */
  public static String manifest(UUID projectId, long revision) {
    return PREFIX + projectId + "/" + revision + ".json";
  }

  /** {@code blobs/{sha256}}: where a binary file's bytes live. */
  public static String blob(String sha256) {
    return "blobs/" + sha256;
  }

  /** The zip key a snapshot or manifest key belongs to, if {@code key} is one. */
  static Optional<Parsed> parse(String key) {
    Matcher m = SNAPSHOT.matcher(key);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      UUID project = UUID.fromString(m.group(1));
      if (!project.toString().equals(m.group(1))) {
        return Optional.empty();
      }
      long revision = Long.parseLong(m.group(2));
      return Optional.of(new Parsed(project, revision, "json".equals(m.group(3))));
    } catch (IllegalArgumentException e) {
      // not a canonical uuid, or a revision beyond a long: not one of ours
      return Optional.empty();
    }
  }

  /** A parsed snapshot object key. */
  record Parsed(UUID projectId, long revision, boolean manifest) {}
}
