package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.storage.ObjectUpload;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.PathRules;
import dev.velocity.preview.protocol.SnapshotManifest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * Turns the rows of one project revision into a deterministic zip streamed to object storage (parts
 * go up while later entries are still compressed), hashing it on the way, and collects the manifest
 * entries. One instance per build; the zip becomes visible only in {@link #finish()}.
 */
final class SnapshotAssembler implements ProjectReader.Visitor, AutoCloseable {
  private final UUID projectId;
  private final LongFunction<ObjectUpload> openZip;
  private final EntryCompressor compressor;
  private final Executor executor;
  private final BlobFetcher blobs;
  private final long bufferBytes;
  private final Path tempDir;
  private final LongPredicate alreadyBuilt;
  private final List<SnapshotManifest.Entry> entries = new ArrayList<>();
  private MessageDigest digest;
  private ObjectUpload upload;
  private OutputStream out;
  private ParallelZipWriter zip;
  private long revision = -1;
  private String previousPath;

  /** What the assembler produced. */
  record Result(long revision, boolean alreadyBuilt, SnapshotManifest manifest) {}

  SnapshotAssembler(
      UUID projectId,
      LongFunction<ObjectUpload> openZip,
      EntryCompressor compressor,
      Executor executor,
      BlobFetcher blobs,
      long bufferBytes,
      Path tempDir,
      LongPredicate alreadyBuilt) {
    this.projectId = projectId;
    this.openZip = openZip;
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
    upload = openZip.apply(revision);
    // buffered first: the digest and the part buffer see 64 KiB writes, not 30-byte headers
    out = new BufferedOutputStream(new DigestOutputStream(upload, digest), 1 << 16);
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

  /**
   * Finishes the zip (after the reader returned), completes its upload and describes it.
   *
   * @throws dev.velocity.preview.operator.storage.StorageException when the upload fails
   */
  Result finish() throws IOException {
    if (zip == null) {
      return new Result(revision, true, null);
    }
    long bytes = zip.finish();
    out.flush();
    out = null;
    if (upload.size() != bytes) {
      throw new IOException("zip is " + bytes + " bytes but " + upload.size() + " were uploaded");
    }
    String sha256 = ContentHash.hex(digest.digest());
    upload.complete();
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
    if (upload != null) {
      // a no-op after complete(); otherwise nothing of this build stays visible
      upload.abort();
    }
  }
}
