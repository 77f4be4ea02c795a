package dev.velocity.preview.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.operator.storage.StorageException.Kind;
import dev.velocity.preview.testkit.EmbeddedS3;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObjectStoreIT {
  private static EmbeddedS3 s3;
  private static ObjectStore store;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.start(EmbeddedS3.Options.transientStore());
    store = new ObjectStore(config(s3, "snapshots", true, s3.secretKey()));
    store.ensureBucket();
  }

  @AfterAll
  static void stop() {
    store.close();
    s3.close();
  }

  static StorageConfig config(EmbeddedS3 s3, String bucket, boolean create, String secret) {
    Map<String, String> env = new HashMap<>();
    env.put("S3_ENDPOINT", s3.endpoint().toString());
    env.put("S3_BUCKET", bucket);
    env.put("S3_ACCESS_KEY", s3.accessKey());
    env.put("S3_SECRET_KEY", secret);
    env.put("S3_CREATE_BUCKET", Boolean.toString(create));
    env.put("S3_PART_SIZE_BYTES", Long.toString(5L << 20));
    return StorageConfig.fromEnv(env);
  }

  @Test
  void putGetExistsListDelete() throws Exception {
    byte[] data = "hello snapshot".getBytes(StandardCharsets.UTF_8);
    store.put("t1/a.txt", data, "text/plain");
    store.put("t1/b/c.txt", new ByteArrayInputStream(data), -1, "text/plain");

    assertThat(store.exists("t1/a.txt")).isTrue();
    assertThat(store.exists("t1/missing")).isFalse();
    try (InputStream in = store.get("t1/b/c.txt")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(store.list("t1/"))
        .extracting(StoredObject::key, StoredObject::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("t1/a.txt", (long) data.length),
            org.assertj.core.groups.Tuple.tuple("t1/b/c.txt", (long) data.length));

    store.delete("t1/a.txt");
    store.delete("t1/a.txt");
    assertThat(store.exists("t1/a.txt")).isFalse();
    assertThatThrownBy(() -> store.get("t1/a.txt"))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
  }

  @Test
  void userMetadataComesBackFromStat() {
    store.put(
        "t5/m.json",
        new ByteArrayInputStream(new byte[] {'{', '}'}),
        2,
        "application/json",
        Map.of("sha256", "abc123", "files", "7"));
    ObjectInfo info = store.stat("t5/m.json").orElseThrow();
    assertThat(info.size()).isEqualTo(2);
    assertThat(info.metadata()).containsEntry("sha256", "abc123").containsEntry("files", "7");
    assertThat(store.stat("t5/none")).isEmpty();
  }

  @Test
  void largeObjectOfUnknownSizeGoesUpInParts() throws Exception {
    byte[] data = new byte[12 << 20];
    new Random(7).nextBytes(data);
    store.put("t2/big.bin", new ByteArrayInputStream(data), -1, "application/octet-stream");
    try (InputStream in = store.get("t2/big.bin")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void streamedUploadGoesUpInPartsWhileWritingAndKeepsMetadata() throws Exception {
    byte[] data = new byte[(12 << 20) + 12345];
    new Random(11).nextBytes(data);
    try (ObjectUpload upload =
        store.openUpload("t6/stream.zip", "application/zip", Map.of("sha256", "abc"))) {
      // odd-sized writes across the 5 MiB part boundaries
      for (int off = 0; off < data.length; off += 70_001) {
        upload.write(data, off, Math.min(70_001, data.length - off));
      }
      assertThat(store.exists("t6/stream.zip")).isFalse();
      assertThat(upload.complete()).isEqualTo(data.length);
    }
    try (InputStream in = store.get("t6/stream.zip")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(store.stat("t6/stream.zip").orElseThrow().metadata()).containsEntry("sha256", "abc");
    assertThat(contentType("t6/stream.zip")).isEqualTo("application/zip");
  }

  @Test
  void smallStreamedUploadIsOnePut() throws Exception {
    byte[] data = "small".getBytes(StandardCharsets.UTF_8);
    try (ObjectUpload upload = store.openUpload("t7/small.json", "application/json", Map.of())) {
      upload.write(data);
      upload.complete();
    }
    try (InputStream in = store.get("t7/small.json")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(contentType("t7/small.json")).isEqualTo("application/json");
  }

  @Test
  void abandonedStreamedUploadLeavesNothing() throws Exception {
    byte[] data = new byte[11 << 20];
    new Random(3).nextBytes(data);
    try (ObjectUpload upload = store.openUpload("t8/gone.zip", "application/zip", Map.of())) {
      upload.write(data);
      // closed without complete(): aborted
    }
    assertThat(store.exists("t8/gone.zip")).isFalse();
    assertThat(store.list("t8/")).isEmpty();
    ObjectUpload done = store.openUpload("t8/done.txt", "text/plain", Map.of());
    done.write(1);
    done.complete();
    assertThatThrownBy(() -> done.write(2))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("upload of t8/done.txt already finished");
  }

  @Test
  void presignedGetWorksAndNothingElseDoes() throws Exception {
    byte[] data = "private bytes".getBytes(StandardCharsets.UTF_8);
    store.put("t3/private.zip", data, "application/zip");
    String url = store.presignGet("t3/private.zip", Duration.ofMinutes(5));

    HttpResponse<byte[]> ok = get(url);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(data);

    String unsigned = url.substring(0, url.indexOf('?'));
    assertThat(get(unsigned).statusCode()).isEqualTo(403);

    int sig = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    char c = url.charAt(sig);
    String tamperedSignature =
        url.substring(0, sig) + (c == 'a' ? 'b' : 'a') + url.substring(sig + 1);
    assertThat(get(tamperedSignature).statusCode()).isEqualTo(403);

    store.put("t3/other.zip", data, "application/zip");
    String otherKey = url.replace("t3/private.zip", "t3/other.zip");
    assertThat(get(otherKey).statusCode()).isEqualTo(403);

    String longer = url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000");
    assertThat(longer).isNotEqualTo(url);
    assertThat(get(longer).statusCode()).isEqualTo(403);
  }

  @Test
  void expiredPresignedUrlIsRefused() throws Exception {
    store.put("t4/soon.zip", new byte[] {1, 2, 3}, "application/zip");
    String url = store.presignGet("t4/soon.zip", Duration.ofSeconds(1));
    Thread.sleep(2100);
    HttpResponse<byte[]> response = get(url);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("AccessDenied");
  }

  @Test
  void wrongSecretIsDenied() {
    try (ObjectStore bad = new ObjectStore(config(s3, "snapshots", false, "wrong-secret"))) {
      assertThatThrownBy(() -> bad.exists("anything"))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DENIED));
      assertThatThrownBy(() -> bad.put("x", new byte[] {1}, "application/octet-stream"))
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.DENIED);
                assertThat(e.getMessage()).startsWith("put x failed: SignatureDoesNotMatch 403");
              });
    }
    assertThat(store.exists("x")).isFalse();
  }

  @Test
  void missingBucketIsNamedUnlessCreationIsAllowed() {
    try (ObjectStore noCreate =
        new ObjectStore(config(s3, "absent-bucket", false, s3.secretKey()))) {
      assertThatThrownBy(noCreate::ensureBucket)
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "bucket absent-bucket does not exist (create it, or set"
                            + " S3_CREATE_BUCKET=true)");
              });
    }
    try (ObjectStore create = new ObjectStore(config(s3, "created-bucket", true, s3.secretKey()))) {
      create.ensureBucket();
      create.ensureBucket();
      create.put("k", new byte[] {9}, "application/octet-stream");
      assertThat(create.exists("k")).isTrue();
    }
  }

  @Test
  void unreachableStorageIsUnavailable() {
    EmbeddedS3 gone = EmbeddedS3.start(EmbeddedS3.Options.transientStore());
    StorageConfig config = config(gone, "snapshots", true, gone.secretKey());
    gone.close();
    try (ObjectStore down = new ObjectStore(config)) {
      assertThatThrownBy(() -> down.exists("k"))
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                assertThat(e.getMessage()).startsWith("stat k failed: storage unreachable");
              });
      // presigning is local and still works
      assertThat(down.presignGet("k", Duration.ofSeconds(60))).contains("X-Amz-Signature=");
    }
  }

  private static String contentType(String key) throws Exception {
    HttpResponse<byte[]> response = get(store.presignGet(key, Duration.ofSeconds(60)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.headers().firstValue("Content-Type").orElse(null);
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
