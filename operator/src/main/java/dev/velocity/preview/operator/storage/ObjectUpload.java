package dev.velocity.preview.operator.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.Http;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.UploadPartArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An object written as a stream of bytes of unknown length (from {@link ObjectStore#openUpload}):
 * bytes fill a part buffer; each full part goes up in the background while the next one fills (at
 * most one part in flight, so two part buffers in memory). An object smaller than one part is a
 * single PUT when {@link #complete()} is called. Nothing is visible under the key before {@link
 * #complete()} returns; {@link #close()} without it aborts. Not thread-safe: one writer.
 */
public final class ObjectUpload extends OutputStream {
  private final MinioAsyncClient client;
  private final StorageConfig config;
  private final String key;
  private final String contentType;
  private final Http.Headers metadata;
  private final boolean overlap;
  private byte[] filling;
  private byte[] spare;
  private int fill;
  private long total;
  private String uploadId;
  private final List<Part> parts = new ArrayList<>();
  private CompletableFuture<UploadPartResponse> inFlight;
  private boolean finished;

  ObjectUpload(
      MinioAsyncClient client,
      StorageConfig config,
      String key,
      String contentType,
      Http.Headers metadata,
      int part,
      boolean overlap) {
    this.client = client;
    this.config = config;
    this.key = key;
    this.contentType = contentType;
    this.metadata = metadata;
    this.overlap = overlap;
    this.filling = new byte[part];
  }

  @Override
  public void write(int b) throws IOException {
    requireOpen();
    if (fill == filling.length) {
      sendPart();
    }
    filling[fill++] = (byte) b;
    total++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    requireOpen();
    while (len > 0) {
      if (fill == filling.length) {
        sendPart();
      }
      int n = Math.min(len, filling.length - fill);
      System.arraycopy(b, off, filling, fill, n);
      fill += n;
      off += n;
      len -= n;
      total += n;
    }
  }

  /** Bytes written so far. */
  public long size() {
    return total;
  }

  /**
   * Makes the object visible under its key with every byte written; returns its size.
   *
   * @throws StorageException when storing fails (the upload is then aborted)
   */
  public long complete() {
    if (finished) {
      throw new IllegalStateException("upload of " + key + " already finished");
    }
    try {
      if (uploadId == null) {
        PutObjectAPIArgs.Builder put =
            PutObjectAPIArgs.builder()
                .bucket(config.bucket())
                .object(key)
                .headers(metadata)
                .contentType(contentType);
        put.data(filling, fill);
        join("put " + key, client.putObject(put.build()));
      } else {
        if (fill > 0) {
          sendPart();
        }
        awaitInFlight();
        join(
            "complete upload of " + key,
            client.completeMultipartUpload(
                CompleteMultipartUploadArgs.builder()
                    .bucket(config.bucket())
                    .object(key)
                    .uploadId(uploadId)
                    .parts(parts.toArray(new Part[0]))
                    .build()));
      }
      finished = true;
      release();
      return total;
    } catch (IOException | RuntimeException e) {
      abort();
      throw e instanceof StorageException s ? s : StorageErrors.translate("put " + key, config, e);
    }
  }

  /** Abandons the upload (a no-op after {@link #complete()}); nothing stays under the key. */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    if (inFlight != null) {
      inFlight.cancel(true);
      try {
        inFlight.join();
      } catch (RuntimeException ignored) {
        // the part is abandoned with the upload
      }
    }
    if (uploadId != null) {
      try {
        client
            .abortMultipartUpload(
                AbortMultipartUploadArgs.builder()
                    .bucket(config.bucket())
                    .object(key)
                    .uploadId(uploadId)
                    .build())
            .join();
      } catch (RuntimeException ignored) {
        // an upload left behind is invisible to readers; the bucket's lifecycle rule cleans it
      }
    }
    release();
  }

  /** Aborts unless {@link #complete()} succeeded. */
  @Override
  public void close() {
    abort();
  }

  private void sendPart() throws IOException {
    if (uploadId == null) {
      uploadId =
          join(
                  "start upload of " + key,
                  client.createMultipartUpload(
                      CreateMultipartUploadArgs.builder()
                          .bucket(config.bucket())
                          .object(key)
                          .headers(
                              Http.Headers.merge(
                                  metadata, new Http.Headers("Content-Type", contentType)))
                          .build()))
              .result()
              .uploadId();
    }
    awaitInFlight();
    byte[] data = filling;
    int length = fill;
    UploadPartArgs.Builder part =
        UploadPartArgs.builder()
            .bucket(config.bucket())
            .object(key)
            .uploadId(uploadId)
            .partNumber(parts.size() + 1);
    part.data(data, length);
    inFlight = client.uploadPart(part.build());
    if (!overlap) {
      awaitInFlight();
      fill = 0;
      return;
    }
    // the part's bytes stay untouched until its request is done; fill the other buffer meanwhile
    filling = spare != null ? spare : new byte[data.length];
    spare = data;
    fill = 0;
  }

  private void awaitInFlight() throws IOException {
    if (inFlight == null) {
      return;
    }
    UploadPartResponse done = join("upload part " + (parts.size() + 1) + " of " + key, inFlight);
    inFlight = null;
    parts.add(done.part());
  }

  private <T> T join(String what, CompletableFuture<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + " interrupted", e);
    } catch (ExecutionException | CompletionException e) {
      throw StorageErrors.translate(what, config, e.getCause() == null ? e : e.getCause());
    }
  }

  private void requireOpen() throws IOException {
    if (finished) {
      throw new IOException("upload of " + key + " already finished");
    }
  }

  private void release() {
    filling = null;
    spare = null;
    inFlight = null;
  }
}
