package dev.velocity.preview.operator.storage;

import dev.velocity.preview.operator.storage.StorageException.Kind;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import okhttp3.OkHttpClient;

/**
 * A private bucket in S3-compatible storage (MinIO, AWS S3, S3Proxy) through the MinIO client.
 * Every failure is a {@link StorageException} whose {@link StorageException#kind()} tells a missing
 * object from refused credentials from an unreachable service. Thread-safe.
 */
public final class ObjectStore implements AutoCloseable {
  private static final long MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
  private static final String META_PREFIX = "x-amz-meta-";
  // a streamed upload holds two parts in memory; larger configured parts are capped here
  private static final long MAX_STREAM_PART = 64L << 20;

  private final StorageConfig config;
  private final MinioClient client;
  private final MinioAsyncClient asyncClient;

  /** A store for {@code config}; nothing is contacted until the first call. */
  public ObjectStore(StorageConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    // one HTTP client (connection pool, trust store loaded once) for both client flavours
    OkHttpClient http =
        Http.setTimeout(
            Http.newDefaultClient(),
            Duration.ofSeconds(10).toMillis(),
            Duration.ofSeconds(60).toMillis(),
            Duration.ofSeconds(60).toMillis());
    this.client =
        MinioClient.builder()
            .endpoint(config.endpoint().toString())
            // a fixed region also means presigning never needs a network round trip
            .region(config.region())
            .credentials(config.accessKey(), config.secretKey())
            .httpClient(http, true)
            .build();
    this.asyncClient =
        MinioAsyncClient.builder()
            .endpoint(config.endpoint().toString())
            .region(config.region())
            .credentials(config.accessKey(), config.secretKey())
            .httpClient(http, false)
            .build();
    if (config.pathStyle()) {
      client.disableVirtualStyleEndpoint();
      asyncClient.disableVirtualStyleEndpoint();
    } else {
      client.enableVirtualStyleEndpoint();
      asyncClient.enableVirtualStyleEndpoint();
    }
  }

  /** The configured bucket. */
  public String bucket() {
    return config.bucket();
  }

  /**
   * Makes sure the bucket exists: creates it when {@code S3_CREATE_BUCKET} is true, otherwise fails
   * with {@link Kind#NOT_FOUND}.
   */
  public void ensureBucket() {
    String bucket = config.bucket();
    boolean exists =
        call(
            "check bucket " + bucket,
            () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    if (exists) {
      return;
    }
    if (!config.createBucket()) {
      throw new StorageException(
          Kind.NOT_FOUND,
          "bucket " + bucket + " does not exist (create it, or set S3_CREATE_BUCKET=true)",
          null);
    }
    call(
        "create bucket " + bucket,
        () -> {
          client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
          return null;
        });
  }

  /** Whether {@code key} exists. */
  public boolean exists(String key) {
    return stat(key).isPresent();
  }

  /**
   * Stores {@code data} under {@code key}, streaming: objects larger than the part size (or of
   * unknown size, {@code size = -1}) go up as a multipart upload, one part in memory at a time.
   */
  public void put(String key, InputStream data, long size, String contentType) {
    put(key, data, size, contentType, Map.of());
  }

  /** Like {@link #put(String, InputStream, long, String)}, with user metadata on the object. */
  public void put(
      String key, InputStream data, long size, String contentType, Map<String, String> metadata) {
    Objects.requireNonNull(data, "data");
    PutObjectArgs.Builder args = PutObjectArgs.builder().bucket(bucket()).object(key);
    args.stream(data, size < 0 ? null : size, config.partSize());
    // the client defaults to CRC32C, computed byte by byte in Java; CRC32 uses the JDK intrinsic
    // and is accepted by S3, MinIO and S3Proxy alike
    args.contentType(contentType).userMetadata(metadata).checksum(Checksum.Algorithm.CRC32);
    call("put " + key, () -> client.putObject(args.build()));
  }

  /**
   * Starts a streamed upload of {@code key} whose length is not known in advance: write the bytes,
   * then {@link ObjectUpload#complete()}. Parts of {@code S3_PART_SIZE_BYTES} (at most 64 MiB) go
   * up while later bytes are still being written; an object smaller than one part is a single PUT.
   */
  public ObjectUpload openUpload(String key, String contentType, Map<String, String> metadata) {
    Objects.requireNonNull(key, "key");
    io.minio.Http.Headers meta = new io.minio.Http.Headers();
    metadata.forEach((name, value) -> meta.put(META_PREFIX + name, value));
    int part = (int) Math.min(config.partSize(), MAX_STREAM_PART);
    // a second buffer lets the next part fill while one goes up; worth it only in a roomy heap
    boolean overlap = Runtime.getRuntime().maxMemory() >= 8L * part;
    return new ObjectUpload(asyncClient, config, key, contentType, meta, part, overlap);
  }

  /**
   * Size, time and user metadata (names lower-case, without {@code x-amz-meta-}) of {@code key}.
   */
  public Optional<ObjectInfo> stat(String key) {
    StatObjectResponse response;
    try {
      response =
          call(
              "stat " + key,
              () ->
                  client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build()));
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> metadata = new TreeMap<>();
    for (Map.Entry<String, String> header : response.userMetadata()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META_PREFIX)) {
        name = name.substring(META_PREFIX.length());
      }
      metadata.putIfAbsent(name, header.getValue());
    }
    return Optional.of(
        new ObjectInfo(key, response.size(), response.lastModified().toInstant(), metadata));
  }

  /** Stores {@code bytes} under {@code key}. */
  public void put(String key, byte[] bytes, String contentType) {
    put(key, new java.io.ByteArrayInputStream(bytes), bytes.length, contentType);
  }

  /** The content of {@code key}; the caller closes the stream. */
  public InputStream get(String key) {
    return call(
        "get " + key,
        () -> client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build()));
  }

  /** Deletes {@code key}; deleting a missing key succeeds. */
  public void delete(String key) {
    call(
        "delete " + key,
        () -> {
          client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
          return null;
        });
  }

  /**
   * A URL that allows a plain GET of {@code key} for {@code ttl} (1 s to 7 days) without
   * credentials. Computed locally: no request is made.
   */
  public String presignGet(String key, Duration ttl) {
    long seconds = ttl.getSeconds();
    if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw new IllegalArgumentException("presign ttl must be 1 s to 7 days, got " + ttl);
    }
    return call(
        "presign " + key,
        () ->
            client.getPresignedObjectUrl(
                GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET)
                    .bucket(bucket())
                    .object(key)
                    .expiry((int) seconds)
                    .build()));
  }

  /** Every object whose key starts with {@code prefix}, in key order. */
  public List<StoredObject> list(String prefix) {
    Iterable<Result<Item>> results =
        client.listObjects(
            ListObjectsArgs.builder().bucket(bucket()).prefix(prefix).recursive(true).build());
    List<StoredObject> objects = new ArrayList<>();
    for (Result<Item> result : results) {
      Item item = call("list " + prefix, result::get);
      if (!item.isDir()) {
        objects.add(
            new StoredObject(item.objectName(), item.size(), item.lastModified().toInstant()));
      }
    }
    return objects;
  }

  @Override
  public void close() {
    try {
      asyncClient.close();
      client.close();
    } catch (Exception e) {
      throw new StorageException(Kind.FAILED, "closing the S3 client failed: " + e, e);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws MinioException;
  }

  private <T> T call(String what, Call<T> call) {
    try {
      return call.run();
    } catch (MinioException e) {
      throw StorageErrors.translate(what, config, e);
    } catch (RuntimeException e) {
      // okhttp and minio sometimes surface I/O failures unchecked
      throw StorageErrors.translate(what, config, e);
    }
  }
}
