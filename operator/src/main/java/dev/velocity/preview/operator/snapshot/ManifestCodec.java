package dev.velocity.preview.operator.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.protocol.SnapshotManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** JSON of the snapshot manifest (DESIGN.md §4). */
final class ManifestCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestCodec() {}

  static byte[] write(SnapshotManifest manifest) {
    try {
      return JSON.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("manifest could not be serialised", e);
    }
  }

  static SnapshotManifest read(InputStream in) throws IOException {
    return JSON.readValue(in, SnapshotManifest.class);
  }
}
