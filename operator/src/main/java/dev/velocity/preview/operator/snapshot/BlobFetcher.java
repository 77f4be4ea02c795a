package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageException;
import dev.velocity.preview.protocol.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Copies a binary file's bytes from {@code blobs/{sha256}}, checking the hash: small blobs into
 * memory, larger ones into a temporary file.
 */
final class BlobFetcher {
  /** A fetched blob: exactly one of {@code bytes} and {@code file} is set. */
  record Blob(byte[] bytes, Path file, long size) {}

  private final ObjectStore store;
  private final long memoryLimit;
  private final Path tempDir;

  BlobFetcher(ObjectStore store, long memoryLimit, Path tempDir) {
    this.store = store;
    this.memoryLimit = memoryLimit;
    this.tempDir = tempDir;
  }

  /**
   * The bytes of {@code row}'s blob.
   *
   * @throws BlobException when the blob is missing or does not match its hash
   * @throws StorageException when storage fails
   */
  Blob fetch(FileRow row) throws IOException {
    String hash = row.contentHash();
    if (hash == null || !hash.matches("[0-9a-f]{64}")) {
      throw new BlobException("binary file " + row.path() + " has no valid content hash");
    }
    String key = SnapshotKeys.blob(hash);
    MessageDigest digest = ContentHash.newDigest();
    ByteArrayOutputStream memory = new ByteArrayOutputStream();
    Path file = null;
    OutputStream fileOut = null;
    long size = 0;
    try (InputStream in = openBlob(row, key)) {
      OutputStream sink = memory;
      byte[] buffer = new byte[64 << 10];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        size += n;
        if (file == null && size > memoryLimit) {
          file = Files.createTempFile(tempDir, "blob-", ".bin");
          fileOut = Files.newOutputStream(file);
          memory.writeTo(fileOut);
          memory = null;
          sink = fileOut;
        }
        sink.write(buffer, 0, n);
      }
      if (fileOut != null) {
        fileOut.close();
      }
    } catch (IOException | RuntimeException e) {
      if (fileOut != null) {
        fileOut.close();
      }
      if (file != null) {
        Files.deleteIfExists(file);
      }
      throw e;
    }
    String actual = ContentHash.hex(digest.digest());
    if (!actual.equals(hash)) {
      if (file != null) {
        Files.deleteIfExists(file);
      }
      throw new BlobException(
          "binary file "
              + row.path()
              + ": "
              + key
              + " does not match its hash (got "
              + actual
              + ")");
    }
    return file == null ? new Blob(memory.toByteArray(), null, size) : new Blob(null, file, size);
  }

  private InputStream openBlob(FileRow row, String key) {
    try {
      return store.get(key);
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.NOT_FOUND) {
        throw new BlobException("binary file " + row.path() + ": " + key + " is missing");
      }
      throw e;
    }
  }

  /** A blob is missing or corrupt: the project data is wrong, not the storage. */
  static final class BlobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BlobException(String message) {
      super(message);
    }
  }
}
