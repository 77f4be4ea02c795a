package dev.velocity.preview.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.operator.snapshot.SnapshotException.Reason;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageConfig;
import dev.velocity.preview.operator.storage.StoredObject;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.SnapshotLocation;
import dev.velocity.preview.protocol.SnapshotManifest;
import dev.velocity.preview.testkit.EmbeddedS3;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class SnapshotBuilderIT {
  private static ProjectFixture db;
  private static EmbeddedS3 s3;
  private static ObjectStore store;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path temp;

  @BeforeAll
  static void start() {
    db = new ProjectFixture("snapshot_builder_it");
    s3 = EmbeddedS3.start(EmbeddedS3.Options.transientStore());
    store = new ObjectStore(storageConfig(s3, s3.secretKey()));
    store.ensureBucket();
  }

  @AfterAll
  static void stop() {
    store.close();
    s3.close();
    db.close();
  }

  static StorageConfig storageConfig(EmbeddedS3 s3, String secret) {
    Map<String, String> env = new HashMap<>();
    env.put("S3_ENDPOINT", s3.endpoint().toString());
    env.put("S3_BUCKET", "previews");
    env.put("S3_ACCESS_KEY", s3.accessKey());
    env.put("S3_SECRET_KEY", secret);
    env.put("S3_CREATE_BUCKET", "true");
    return StorageConfig.fromEnv(env);
  }

  private static SnapshotConfig config() {
    return SnapshotConfig.fromEnv(
        Map.of("SNAPSHOT_TEMP_DIR", temp.toString(), "SNAPSHOT_BUFFER_BYTES", "1048576"));
  }

  private static SnapshotBuilder builder(SnapshotMetrics metrics) {
    return new SnapshotBuilder(db.operator, store, config(), metrics);
  }

  private static SnapshotMetrics freshMetrics() {
    return SnapshotMetrics.of(new PrometheusRegistry());
  }

  private static long builds(SnapshotMetrics metrics) {
    return metrics.buildSeconds.collect().getDataPoints().get(0).getCount();
  }

  private static Map<String, String> sourceFiles(int n, String salt) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder();
      for (int line = 0; line < 40; line++) {
        b.append("export const v")
            .append(line)
            .append(" = '")
            .append(salt)
            .append(i)
            .append("';\n");
      }
      files.put("src/module" + i + "/index.ts", b.toString());
    }
    return files;
  }

  private static byte[] download(String url) throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        assertThat(entries.put(e.getName(), in.readAllBytes())).isNull();
      }
    }
    return entries;
  }

  @Test
  void snapshotHoldsExactlyTheCurrentFilesAtTheRevision() throws Exception {
    UUID project = db.newProject();
    db.write(project, Map.of("b.txt", "old b", "a.txt", "a", "gone.txt", "bye"));
    db.write(project, Map.of("b.txt", "new b", "src/ünï.ts", "export const x = 1;\n"));
    db.delete(project, "gone.txt");
    byte[] png = new byte[2000];
    new Random(1).nextBytes(png);
    db.writeBinary(project, "img/logo.png", png, store);
    byte[] big = new byte[400_000]; // beyond the in-memory blob limit: goes through a temp file
    new Random(2).nextBytes(big);
    db.writeBinary(project, "assets/big.bin", big, store);
    long revision = db.revision(project);

    try (SnapshotBuilder builder = builder(freshMetrics())) {
      SnapshotLocation location = builder.locate(project);
      Snapshot snapshot = builder.ensure(project);

      assertThat(snapshot.revision()).isEqualTo(revision);
      assertThat(snapshot.key()).isEqualTo("snapshots/" + project + "/" + revision + ".zip");
      assertThat(snapshot.manifestKey())
          .isEqualTo("snapshots/" + project + "/" + revision + ".json");
      assertThat(location.revision()).isEqualTo(revision);
      assertThat(location.sha256()).isEqualTo(snapshot.sha256());

      byte[] zip = download(location.url());
      assertThat(ContentHash.sha256Hex(zip)).isEqualTo(snapshot.sha256());
      assertThat((long) zip.length).isEqualTo(snapshot.bytes());
      Map<String, byte[]> entries = unzip(zip);
      assertThat(entries.keySet())
          .containsExactly("a.txt", "assets/big.bin", "b.txt", "img/logo.png", "src/ünï.ts");
      assertThat(new String(entries.get("b.txt"), StandardCharsets.UTF_8)).isEqualTo("new b");
      assertThat(entries.get("img/logo.png")).isEqualTo(png);
      assertThat(entries.get("assets/big.bin")).isEqualTo(big);
      assertThat(snapshot.files()).isEqualTo(5);

      SnapshotManifest manifest;
      try (InputStream in = store.get(snapshot.manifestKey())) {
        manifest = new ObjectMapper().readValue(in, SnapshotManifest.class);
      }
      assertThat(manifest.projectId()).isEqualTo(project.toString());
      assertThat(manifest.revision()).isEqualTo(revision);
      assertThat(manifest.fileCount()).isEqualTo(5);
      assertThat(manifest.sha256()).isEqualTo(snapshot.sha256());
      assertThat(manifest.bytes()).isEqualTo(snapshot.bytes());
      Map<String, Object[]> current = db.current(project);
      assertThat(manifest.files())
          .extracting(SnapshotManifest.Entry::path)
          .containsExactlyElementsOf(current.keySet());
      for (SnapshotManifest.Entry e : manifest.files()) {
        assertThat(e.version()).isEqualTo(current.get(e.path())[0]);
        assertThat(e.sha256()).isEqualTo(current.get(e.path())[1]);
        assertThat(e.sha256()).isEqualTo(ContentHash.sha256Hex(entries.get(e.path())));
        assertThat(e.size()).isEqualTo(entries.get(e.path()).length);
      }
    }
  }

  @Test
  void rebuildingGivesByteIdenticalZips() throws Exception {
    UUID project = db.newProject();
    db.write(project, sourceFiles(300, "d"));
    UUID twin = db.newProject();
    db.write(twin, Map.of("x", "y"));
    db.write(twin, sourceFiles(300, "d"));
    db.delete(twin, "x");
    try (SnapshotBuilder builder = builder(freshMetrics())) {
      Snapshot first = builder.ensure(project);
      byte[] firstBytes;
      try (InputStream in = store.get(first.key())) {
        firstBytes = in.readAllBytes();
      }
      store.delete(first.manifestKey());
      store.delete(first.key());

      Snapshot second = builder.ensure(project);
      assertThat(second.reused()).isFalse();
      assertThat(second.sha256()).isEqualTo(first.sha256());
      try (InputStream in = store.get(second.key())) {
        assertThat(in.readAllBytes()).isEqualTo(firstBytes);
      }
      // same files at another revision of another project: same bytes
      Snapshot other = builder.ensure(twin);
      assertThat(other.revision()).isNotEqualTo(first.revision());
      assertThat(other.sha256()).isEqualTo(first.sha256());
    }
  }

  @Test
  void existingSnapshotIsReusedUntilTheProjectChanges() throws Exception {
    UUID project = db.newProject();
    db.write(project, sourceFiles(50, "r"));
    SnapshotMetrics metrics = freshMetrics();
    try (SnapshotBuilder builder = builder(metrics)) {
      Snapshot built = builder.ensure(project);
      Snapshot again = builder.ensure(project);
      assertThat(built.reused()).isFalse();
      assertThat(again.reused()).isTrue();
      assertThat(again.key()).isEqualTo(built.key());
      assertThat(again.sha256()).isEqualTo(built.sha256());
      assertThat(again.files()).isEqualTo(built.files());
      assertThat(again.bytes()).isEqualTo(built.bytes());
      assertThat(builds(metrics)).isEqualTo(1);
      assertThat(metrics.reused.get()).isEqualTo(1.0);

      // a fresh builder (another operator process) reuses it too
      try (SnapshotBuilder other = builder(freshMetrics())) {
        assertThat(other.ensure(project).reused()).isTrue();
      }

      db.write(project, Map.of("src/new.ts", "export {}\n"));
      Snapshot next = builder.ensure(project);
      assertThat(next.reused()).isFalse();
      assertThat(next.revision()).isEqualTo(built.revision() + 1);
      assertThat(next.files()).isEqualTo(built.files() + 1);
      assertThat(builds(metrics)).isEqualTo(2);
    }
  }

  @Test
  void twentyConcurrentCallersShareOneBuild() throws Exception {
    UUID project = db.newProject();
    db.write(project, sourceFiles(400, "s"));
    SnapshotMetrics metrics = freshMetrics();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try (SnapshotBuilder builder = builder(metrics)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Snapshot>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return builder.ensure(project);
                }));
      }
      go.countDown();
      List<Snapshot> snapshots = new ArrayList<>();
      for (Future<Snapshot> f : results) {
        snapshots.add(f.get());
      }
      assertThat(snapshots).extracting(Snapshot::key).containsOnly(snapshots.get(0).key());
      assertThat(snapshots).extracting(Snapshot::sha256).containsOnly(snapshots.get(0).sha256());
      assertThat(builds(metrics)).isEqualTo(1);
      assertThat(store.list("snapshots/" + project + "/"))
          .extracting(StoredObject::key)
          .containsExactly(snapshots.get(0).manifestKey(), snapshots.get(0).key());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondProjectsBuildWaitsForTheOnlyBuildSlot() throws Exception {
    UUID first = db.newProject();
    db.write(first, sourceFiles(50, "slot-a"));
    UUID second = db.newProject();
    db.write(second, sourceFiles(50, "slot-b"));
    // each ensure() takes two connections: the revision check, then the build's read; the first
    // build's read is held until released, so the first build keeps the only slot meanwhile
    AtomicInteger connections = new AtomicInteger();
    CountDownLatch firstBuildReading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DataSource gated =
        (DataSource)
            Proxy.newProxyInstance(
                DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection")
                      && connections.incrementAndGet() == 2) {
                    firstBuildReading.countDown();
                    release.await();
                  }
                  try {
                    return method.invoke(db.operator, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    SnapshotConfig oneSlot =
        SnapshotConfig.fromEnv(
            Map.of(
                "SNAPSHOT_TEMP_DIR", temp.toString(),
                "SNAPSHOT_BUFFER_BYTES", "1048576",
                "SNAPSHOT_CONCURRENT_BUILDS", "1"));
    SnapshotMetrics metrics = freshMetrics();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (SnapshotBuilder builder = new SnapshotBuilder(gated, store, oneSlot, metrics)) {
      Future<Snapshot> a = pool.submit(() -> builder.ensure(first));
      assertThat(firstBuildReading.await(30, TimeUnit.SECONDS)).isTrue();
      Future<Snapshot> b = pool.submit(() -> builder.ensure(second));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (connections.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(500);
      assertThat(connections.get())
          .as("the second project checked its revision but did not start reading")
          .isEqualTo(3);
      assertThat(b.isDone()).isFalse();
      release.countDown();
      assertThat(a.get(60, TimeUnit.SECONDS).files()).isEqualTo(50);
      assertThat(b.get(60, TimeUnit.SECONDS).files()).isEqualTo(50);
      assertThat(connections.get()).isEqualTo(4);
      assertThat(builds(metrics)).isEqualTo(2);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void unknownProjectIsNotFoundAndWritesNothing() {
    UUID missing = UUID.randomUUID();
    SnapshotMetrics metrics = freshMetrics();
    try (SnapshotBuilder builder = builder(metrics)) {
      assertThatThrownBy(() -> builder.ensure(missing))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.PROJECT_NOT_FOUND);
                assertThat(e.getMessage()).isEqualTo("project " + missing + " does not exist");
              });
    }
    assertThat(store.list("snapshots/" + missing)).isEmpty();
    assertThat(metrics.failures.labelValues("PROJECT_NOT_FOUND").get()).isEqualTo(1.0);
  }

  @Test
  void storageDownIsStorageUnavailable() throws Exception {
    UUID project = db.newProject();
    db.write(project, Map.of("a.txt", "a"));
    EmbeddedS3 gone = EmbeddedS3.start(EmbeddedS3.Options.transientStore());
    StorageConfig config = storageConfig(gone, gone.secretKey());
    gone.close();
    try (ObjectStore down = new ObjectStore(config);
        SnapshotBuilder builder =
            new SnapshotBuilder(db.operator, down, config(), freshMetrics())) {
      assertThatThrownBy(() -> builder.ensure(project))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.STORAGE_UNAVAILABLE);
                assertThat(e.getMessage())
                    .startsWith(
                        "looking up snapshots/"
                            + project
                            + "/1.json: stat snapshots/"
                            + project
                            + "/1.json failed: storage unreachable");
              });
    }
  }

  @Test
  void refusedCredentialsAreStorageDenied() throws Exception {
    UUID project = db.newProject();
    db.write(project, Map.of("a.txt", "a"));
    try (ObjectStore denied = new ObjectStore(storageConfig(s3, "not-the-secret"));
        SnapshotBuilder builder =
            new SnapshotBuilder(db.operator, denied, config(), freshMetrics())) {
      assertThatThrownBy(() -> builder.ensure(project))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.STORAGE_DENIED));
    }
    assertThat(store.list("snapshots/" + project)).isEmpty();
  }

  @Test
  void databaseDownIsDatabaseUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setServerNames(new String[] {"127.0.0.1"});
    nowhere.setPortNumbers(new int[] {port});
    nowhere.setDatabaseName("none");
    nowhere.setUser("nobody");
    nowhere.setConnectTimeout(2);
    UUID project = UUID.randomUUID();
    try (SnapshotBuilder builder = new SnapshotBuilder(nowhere, store, config(), freshMetrics())) {
      assertThatThrownBy(() -> builder.ensure(project))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.DATABASE_UNAVAILABLE);
                assertThat(e.getMessage())
                    .startsWith(
                        "reading the revision for project " + project + ": database unavailable");
              });
    }
  }

  @Test
  void failedUploadLeavesNoManifest() throws Exception {
    UUID project = db.newProject();
    db.write(project, sourceFiles(200, "u"));
    // this server refuses any single PUT over 1 KiB: the zip upload fails, a manifest would not
    try (EmbeddedS3 small =
            EmbeddedS3.start(
                EmbeddedS3.Options.transientStore().withMaxSinglePartObjectSize(1024));
        ObjectStore smallStore = new ObjectStore(storageConfig(small, small.secretKey()));
        SnapshotBuilder builder =
            new SnapshotBuilder(db.operator, smallStore, config(), freshMetrics())) {
      smallStore.ensureBucket();
      assertThatThrownBy(() -> builder.ensure(project))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.BUILD_FAILED);
                assertThat(e.getMessage()).contains("put snapshots/" + project + "/");
              });
      assertThat(smallStore.list("snapshots/")).isEmpty();
      smallStore.put("probe.json", new byte[100], "application/json");
      assertThat(smallStore.exists("probe.json")).isTrue();
    }
    try (var files = java.nio.file.Files.list(temp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void missingBlobFailsTheBuildAndWritesNothing() throws Exception {
    UUID project = db.newProject();
    db.write(project, Map.of("a.txt", "a"));
    byte[] never = "never uploaded".getBytes(StandardCharsets.UTF_8);
    db.writeBinary(project, "img/x.png", never, null);
    try (SnapshotBuilder builder = builder(freshMetrics())) {
      assertThatThrownBy(() -> builder.ensure(project))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.BUILD_FAILED);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "binary file img/x.png: blobs/"
                            + ContentHash.sha256Hex(never)
                            + " is missing");
              });
    }
    assertThat(store.list("snapshots/" + project)).isEmpty();
  }

  @Test
  void corruptBlobFailsTheBuild() throws Exception {
    UUID project = db.newProject();
    byte[] real = "real bytes".getBytes(StandardCharsets.UTF_8);
    db.writeBinary(project, "img/y.png", real, null);
    store.put(SnapshotKeys.blob(ContentHash.sha256Hex(real)), "other bytes".getBytes(), "x/y");
    try (SnapshotBuilder builder = builder(freshMetrics())) {
      assertThatThrownBy(() -> builder.ensure(project))
          .isInstanceOfSatisfying(
              SnapshotException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.BUILD_FAILED);
                assertThat(e.getMessage()).contains("does not match its hash");
              });
    }
    assertThat(store.list("snapshots/" + project)).isEmpty();
  }

  @Test
  void garbageCollectionKeepsReferencedRecentAndNewest() throws Exception {
    UUID project = db.newProject();
    List<Snapshot> snapshots = new ArrayList<>();
    try (SnapshotBuilder builder = builder(freshMetrics())) {
      for (int i = 0; i < 4; i++) {
        db.write(project, Map.of("f.txt", "v" + i));
        snapshots.add(builder.ensure(project));
      }
      String orphan = SnapshotKeys.zip(project, 99);
      store.put(orphan, new byte[] {1}, "application/zip");
      String prefix = "snapshots/" + project + "/";

      assertThat(builder.collectGarbage(Duration.ofHours(1), Set.of())).isEmpty();
      assertThat(store.list(prefix)).hasSize(9);

      String referenced = snapshots.get(1).key();
      List<String> deleted = builder.collectGarbage(Duration.ZERO, Set.of(referenced));

      assertThat(deleted)
          .containsExactlyInAnyOrder(
              snapshots.get(0).manifestKey(),
              snapshots.get(0).key(),
              snapshots.get(2).manifestKey(),
              snapshots.get(2).key(),
              orphan);
      assertThat(store.list(prefix))
          .extracting(StoredObject::key)
          .containsExactlyInAnyOrder(
              snapshots.get(1).key(),
              snapshots.get(1).manifestKey(),
              snapshots.get(3).key(),
              snapshots.get(3).manifestKey());
      assertThat(builder.ensure(project).reused()).isTrue();
    }
  }
}
