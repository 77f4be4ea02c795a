package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.PathRules;
import dev.velocity.preview.protocol.SnapshotManifest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongPredicate;

/**
 * Turns the rows of one project revision into a deterministic zip in a local file, hashing it on
 * the way, and collects the manifest entries. One instance per build.
 */
final class SnapshotAssembler implements ProjectReader.Visitor, AutoCloseable {
  private final UUID projectId;
  private final Path zipFile;
  private final EntryCompressor compressor;
  private final Executor executor;
  private final BlobFetcher blobs;
  private final long bufferBytes;
  private final Path tempDir;
  private final LongPredicate alreadyBuilt;
  private final List<SnapshotManifest.Entry> entries = new ArrayList<>();
  private MessageDigest digest;
  private OutputStream out;
  private ParallelZipWriter zip;
  private long revision = -1;
  private String previousPath;

  /** What the assembler produced. */
  record Result(long revision, boolean alreadyBuilt, SnapshotManifest manifest) {}

  SnapshotAssembler(
      UUID projectId,
      Path zipFile,
      EntryCompressor compressor,
      Executor executor,
      BlobFetcher blobs,
      long bufferBytes,
      Path tempDir,
      LongPredicate alreadyBuilt) {
    this.projectId = projectId;
    this.zipFile = zipFile;
    this.compressor = compressor;
    this.executor = executor;
    this.blobs = blobs;
    this.bufferBytes = bufferBytes;
    this.tempDir = tempDir;
    this.alreadyBuilt = alreadyBuilt;
  }

  @Override
  public boolean begin(long revision) throws IOException {
    this.revision = revision;
    if (alreadyBuilt.test(revision)) {
      return false;
    }
    digest = ContentHash.newDigest();
    out =
        new DigestOutputStream(
            new BufferedOutputStream(Files.newOutputStream(zipFile), 1 << 16), digest);
    zip = new ParallelZipWriter(out, compressor, executor, bufferBytes, tempDir);
    return true;
  }

  @Override
  public void file(FileRow row) throws IOException {
    String path = row.path();
    var violation = PathRules.violation(path);
    if (violation.isPresent()) {
      throw new IOException("file path " + path + " is not allowed: " + violation.get());
    }
    if (path.equals(previousPath)) {
      throw new IOException("file path " + path + " appears twice");
    }
    previousPath = path;
    long size;
    if (row.content() != null) {
      size = row.content().length;
      zip.add(path, row.content());
    } else {
      BlobFetcher.Blob blob = blobs.fetch(row);
      size = blob.size();
      if (blob.bytes() != null) {
        zip.add(path, blob.bytes());
      } else {
        zip.add(path, blob.file(), blob.size());
      }
    }
    entries.add(new SnapshotManifest.Entry(path, row.version(), row.contentHash(), size));
  }

  /** Finishes the zip (after the reader returned) and describes it. */
  Result finish() throws IOException {
    if (zip == null) {
      return new Result(revision, true, null);
    }
    long bytes = zip.finish();
    out.close();
    out = null;
    String sha256 = ContentHash.hex(digest.digest());
    return new Result(
        revision,
        false,
        new SnapshotManifest(
            projectId.toString(), revision, entries.size(), bytes, sha256, List.copyOf(entries)));
  }

  @Override
  public void close() throws IOException {
    if (zip != null) {
      zip.close();
    }
    if (out != null) {
      out.close();
    }
  }
}
