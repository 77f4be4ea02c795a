package dev.velocity.preview.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An in-process S3 server (S3Proxy) speaking the real S3 protocol with real AWS signatures, for
 * tests and the local stack.
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.transientStore().withBucket("snaps"))) {
 *   MinioClient.builder().endpoint(s3.endpoint().toString())
 *       .credentials(s3.accessKey(), s3.secretKey())...
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {
  private volatile S3Proxy proxy;
  private final BlobStore blobStore;
  private final Options options;
  private final URI endpoint;

  private EmbeddedS3(S3Proxy proxy, BlobStore blobStore, Options options) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.options = options;
    this.endpoint = URI.create("http://" + options.host() + ":" + proxy.getPort());
  }

  /**
   * How to start the server.
   *
   * @param host the address to bind (and to put in {@link #endpoint()})
   * @param port the port, {@code 0} for a free one
   * @param dataDirectory where objects live; {@code null} for an in-memory store
   * @param accessKey the only accepted access key
   * @param secretKey its secret
   * @param buckets buckets to create at start
   * @param maxSinglePartObjectSize the largest single PUT (or upload part) accepted, in bytes
   */
  public record Options(
      String host,
      int port,
      Path dataDirectory,
      String accessKey,
      String secretKey,
      List<String> buckets,
      long maxSinglePartObjectSize) {

    /** Validates the options. */
    public Options {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
        throw new IllegalArgumentException("access key and secret key must not be blank");
      }
      buckets = List.copyOf(buckets);
      if (maxSinglePartObjectSize <= 0) {
        throw new IllegalArgumentException("maxSinglePartObjectSize must be positive");
      }
    }

    /** An in-memory store on a free loopback port with random credentials and no bucket. */
    public static Options transientStore() {
      return new Options(
          "127.0.0.1", 0, null, "ak" + random(8), "sk" + random(16), List.of(), 5L << 30);
    }

    /**
     * A store keeping objects under {@code dataDirectory}, otherwise like {@link #transientStore}.
     */
    public static Options filesystemStore(Path dataDirectory) {
      return transientStore().withDataDirectory(Objects.requireNonNull(dataDirectory));
    }

    /** These options with {@code dataDirectory}. */
    public Options withDataDirectory(Path dataDirectory) {
      return new Options(
          host, port, dataDirectory, accessKey, secretKey, buckets, maxSinglePartObjectSize);
    }

    /** These options plus a bucket created at start. */
    public Options withBucket(String bucket) {
      var all = new java.util.ArrayList<>(buckets);
      all.add(bucket);
      return new Options(
          host, port, dataDirectory, accessKey, secretKey, all, maxSinglePartObjectSize);
    }

    /** These options with fixed credentials. */
    public Options withCredentials(String accessKey, String secretKey) {
      return new Options(
          host, port, dataDirectory, accessKey, secretKey, buckets, maxSinglePartObjectSize);
    }

    /** These options on {@code port}. */
    public Options withPort(int port) {
      return new Options(
          host, port, dataDirectory, accessKey, secretKey, buckets, maxSinglePartObjectSize);
    }

    /** These options with a smaller single-part limit (to make large uploads fail in tests). */
    public Options withMaxSinglePartObjectSize(long bytes) {
      return new Options(host, port, dataDirectory, accessKey, secretKey, buckets, bytes);
    }
  }

  /** Starts a server with {@code options}. */
  public static EmbeddedS3 start(Options options) {
    BlobStore store;
    try {
      if (options.dataDirectory() == null) {
        store = new TransientNio2BlobStore();
      } else {
        Files.createDirectories(options.dataDirectory());
        // absolute: S3Proxy 4.1.0 lists multipart parts by comparing absolute paths with
        // root.resolve(prefix), which doubles a relative root, finds no parts, and fails every
        // CompleteMultipartUpload with NoSuchUpload (a single PUT works either way)
        store =
            new FilesystemNio2BlobStore(
                options.dataDirectory().toAbsolutePath().normalize().toString());
      }
      S3Proxy proxy = startProxy(store, options, options.port());
      EmbeddedS3 s3 = new EmbeddedS3(proxy, store, options);
      for (String bucket : options.buckets()) {
        s3.createBucket(bucket);
      }
      return s3;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not start S3Proxy: " + e.getMessage(), e);
    }
  }

  private static S3Proxy startProxy(BlobStore store, Options options, int port) throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://" + options.host() + ":" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, options.accessKey(), options.secretKey())
            .maxSinglePartObjectSize(options.maxSinglePartObjectSize())
            .build();
    proxy.start();
    waitUntilStarted(proxy);
    return proxy;
  }

  /**
   * Makes the server unavailable (its port refuses connections) while keeping the objects, until
   * {@link #resume()}: an object-store outage for fault-injection tests.
   */
  public synchronized void pause() {
    if (!"STARTED".equals(proxy.getState())) {
      return;
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy: " + e.getMessage(), e);
    }
  }

  /** Serves again on the same port, endpoint, credentials and objects after {@link #pause()}. */
  public synchronized void resume() {
    if ("STARTED".equals(proxy.getState())) {
      return;
    }
    try {
      proxy = startProxy(blobStore, options, endpoint.getPort());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not restart S3Proxy: " + e.getMessage(), e);
    }
  }

  /** True while the server accepts requests. */
  public boolean running() {
    return "STARTED".equals(proxy.getState());
  }

  /** Starts an in-memory server with one bucket. */
  public static EmbeddedS3 startWithBucket(String bucket) {
    return start(Options.transientStore().withBucket(bucket));
  }

  /** Creates {@code bucket} if it does not exist. */
  public void createBucket(String bucket) {
    if (!blobStore.containerExists(bucket)) {
      blobStore.createContainer(bucket);
    }
  }

  /** {@code http://host:port} of the server. */
  public URI endpoint() {
    return endpoint;
  }

  /** The bound port. */
  public int port() {
    return proxy.getPort();
  }

  /** The accepted access key. */
  public String accessKey() {
    return options.accessKey();
  }

  /** The secret of {@link #accessKey()}. */
  public String secretKey() {
    return options.secretKey();
  }

  /** The region clients should sign for (any region is accepted). */
  public String region() {
    return "us-east-1";
  }

  /** Stops the server; in-memory objects are gone. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy: " + e.getMessage(), e);
    } finally {
      blobStore.close();
    }
  }

  private static void waitUntilStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start within 10 s: " + proxy.getState());
      }
      Thread.sleep(5);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
