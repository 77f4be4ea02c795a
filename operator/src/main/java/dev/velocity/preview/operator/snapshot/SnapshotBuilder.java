package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.snapshot.SnapshotException.Reason;
import dev.velocity.preview.operator.storage.ObjectInfo;
import dev.velocity.preview.operator.storage.ObjectStore;
import dev.velocity.preview.operator.storage.StorageException;
import dev.velocity.preview.protocol.SnapshotLocation;
import dev.velocity.preview.protocol.SnapshotManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds (or reuses) the snapshot of a project at its current revision (DESIGN.md §4): a
 * deterministic zip plus a manifest in object storage, the manifest written last so that its
 * presence means "finished". Concurrent calls for the same project and revision share one build.
 * Thread-safe; {@link #close()} stops the compression threads.
 */
public final class SnapshotBuilder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotBuilder.class);

  private final ObjectStore store;
  private final SnapshotConfig config;
  private final SnapshotMetrics metrics;
  private final ProjectReader reader;
  private final EntryCompressor compressor;
  private final ExecutorService executor;
  private final SnapshotGarbageCollector garbageCollector;
  private final Semaphore buildSlots;
  private final ConcurrentHashMap<Flight, CompletableFuture<Snapshot>> flights =
      new ConcurrentHashMap<>();

  private record Flight(UUID projectId, long revision) {}

  /** A builder reading through {@code dataSource} (a login in role {@code preview_operator}). */
  public SnapshotBuilder(DataSource dataSource, ObjectStore store, SnapshotConfig config) {
    this(dataSource, store, config, SnapshotMetrics.defaults());
  }

  /** A builder recording into {@code metrics}. */
  public SnapshotBuilder(
      DataSource dataSource, ObjectStore store, SnapshotConfig config, SnapshotMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.reader = new ProjectReader(Objects.requireNonNull(dataSource), config.fetchSize());
    this.compressor = new EntryCompressor(config.deflateLevel(), config.fastDeflate());
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            config.compressionThreads(),
            r -> {
              Thread t = new Thread(r, "snapshot-deflate-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.garbageCollector = new SnapshotGarbageCollector(store, Clock.systemUTC());
    this.buildSlots = new Semaphore(config.concurrentBuilds(), true);
  }

  /**
   * The snapshot of {@code projectId} at its current revision: the existing one, or a new one built
   * now. Twenty concurrent calls for one project cause one build; every caller gets the same key.
   *
   * @throws SnapshotException with a {@link Reason}
   */
  public Snapshot ensure(UUID projectId) {
    Objects.requireNonNull(projectId, "projectId");
    long start = System.nanoTime();
    try (MDC.MDCCloseable ignored = MDC.putCloseable("projectId", projectId.toString())) {
      long revision = reader.currentRevision(projectId);
      Optional<Snapshot> existing = existing(projectId, revision, start);
      if (existing.isPresent()) {
        metrics.reused.inc();
        return existing.get();
      }
      Flight flight = new Flight(projectId, revision);
      CompletableFuture<Snapshot> mine = new CompletableFuture<>();
      CompletableFuture<Snapshot> running = flights.putIfAbsent(flight, mine);
      if (running != null) {
        return await(running);
      }
      try {
        Snapshot built = buildInSlot(projectId, revision, start);
        mine.complete(built);
        return built;
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        flights.remove(flight, mine);
      }
    } catch (SnapshotException e) {
      metrics.failures.labelValues(e.reason().name()).inc();
      throw e;
    }
  }

  /** {@link #ensure} plus a presigned GET URL valid for {@code SNAPSHOT_URL_TTL_SECONDS}. */
  public SnapshotLocation locate(UUID projectId) {
    Snapshot snapshot = ensure(projectId);
    return new SnapshotLocation(presign(snapshot), snapshot.sha256(), snapshot.revision());
  }

  /** A presigned GET URL of {@code snapshot}'s zip, valid for {@code SNAPSHOT_URL_TTL_SECONDS}. */
  public String presign(Snapshot snapshot) {
    return store.presignGet(snapshot.key(), config.urlTtl());
  }

  /**
   * Deletes snapshots older than {@code retention} whose zip key is not in {@code referencedKeys}
   * (the keys live sessions use), and zips left without a manifest by failed builds. The newest
   * finished snapshot of each project is always kept, so a reuse never races its deletion.
   *
   * @return the deleted object keys
   */
  public List<String> collectGarbage(Duration retention, Set<String> referencedKeys) {
    try {
      return garbageCollector.collect(retention, referencedKeys);
    } catch (StorageException e) {
      throw storageFailure("collecting snapshot garbage", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Builds once one of the {@code SNAPSHOT_CONCURRENT_BUILDS} slots is free. */
  private Snapshot buildInSlot(UUID projectId, long checkedRevision, long start) {
    boolean waited = !buildSlots.tryAcquire();
    try {
      if (waited) {
        buildSlots.acquire();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnapshotException(
          Reason.BUILD_FAILED, "interrupted while waiting for a snapshot build slot", e);
    }
    try {
      // the manifest of checkedRevision was missing a moment ago; look again only if another
      // builder had time to finish it (a duplicate build would write the same bytes anyway)
      long unchecked = waited ? -1 : checkedRevision;
      return build(projectId, unchecked, start);
    } finally {
      buildSlots.release();
    }
  }

  private Snapshot build(UUID projectId, long checkedRevision, long start) {
    try {
      SnapshotAssembler.Result result;
      try (SnapshotAssembler assembler =
          new SnapshotAssembler(
              projectId,
              revision ->
                  store.openUpload(
                      SnapshotKeys.zip(projectId, revision), "application/zip", Map.of()),
              compressor,
              executor,
              new BlobFetcher(store, config.bufferBytes() / 4, config.tempDir()),
              config.bufferBytes(),
              config.tempDir(),
              revision ->
                  revision != checkedRevision
                      && store.exists(SnapshotKeys.manifest(projectId, revision)))) {
        reader.read(projectId, assembler);
        result = assembler.finish();
      }
      if (result.alreadyBuilt()) {
        metrics.reused.inc();
        return existing(projectId, result.revision(), start)
            .orElseThrow(() -> new IOException("snapshot manifest vanished during the build"));
      }
      Snapshot snapshot = writeManifest(projectId, result.manifest(), start);
      metrics.buildSeconds.observe(snapshot.buildTime().toNanos() / 1e9);
      metrics.sourceBytes.inc(
          result.manifest().files().stream().mapToLong(SnapshotManifest.Entry::size).sum());
      LOG.info(
          "built snapshot of revision {}: {} files, {} bytes in {} ms",
          snapshot.revision(),
          snapshot.files(),
          snapshot.bytes(),
          snapshot.buildTime().toMillis());
      return snapshot;
    } catch (StorageException e) {
      throw storageFailure("building the snapshot of " + projectId, e);
    } catch (BlobFetcher.BlobException e) {
      throw new SnapshotException(Reason.BUILD_FAILED, e.getMessage(), e);
    } catch (IOException e) {
      throw new SnapshotException(
          Reason.BUILD_FAILED,
          "building the snapshot of " + projectId + " failed: " + e.getMessage(),
          e);
    }
  }

  /** Writes the manifest of an uploaded zip: last, since its presence means "finished". */
  private Snapshot writeManifest(UUID projectId, SnapshotManifest manifest, long start) {
    long revision = manifest.revision();
    String key = SnapshotKeys.zip(projectId, revision);
    String manifestKey = SnapshotKeys.manifest(projectId, revision);
    byte[] json = ManifestCodec.write(manifest);
    store.put(
        manifestKey,
        new ByteArrayInputStream(json),
        json.length,
        "application/json",
        Map.of(
            "sha256", manifest.sha256(),
            "files", Integer.toString(manifest.fileCount()),
            "bytes", Long.toString(manifest.bytes())));
    return new Snapshot(
        projectId,
        revision,
        key,
        manifestKey,
        manifest.sha256(),
        manifest.fileCount(),
        manifest.bytes(),
        Duration.ofNanos(System.nanoTime() - start),
        false);
  }

  private Optional<Snapshot> existing(UUID projectId, long revision, long start) {
    String manifestKey = SnapshotKeys.manifest(projectId, revision);
    Optional<ObjectInfo> info;
    try {
      info = store.stat(manifestKey);
      if (info.isEmpty()) {
        return Optional.empty();
      }
      Map<String, String> meta = info.get().metadata();
      String sha256 = meta.get("sha256");
      String files = meta.get("files");
      String bytes = meta.get("bytes");
      if (sha256 == null || files == null || bytes == null) {
        // written by another tool without metadata: read the manifest itself
        try (InputStream in = store.get(manifestKey)) {
          SnapshotManifest m = ManifestCodec.read(in);
          sha256 = m.sha256();
          files = Integer.toString(m.fileCount());
          bytes = Long.toString(m.bytes());
        }
      }
      return Optional.of(
          new Snapshot(
              projectId,
              revision,
              SnapshotKeys.zip(projectId, revision),
              manifestKey,
              sha256,
              Integer.parseInt(files),
              Long.parseLong(bytes),
              Duration.ofNanos(System.nanoTime() - start),
              true));
    } catch (StorageException e) {
      throw storageFailure("looking up " + manifestKey, e);
    } catch (IOException | NumberFormatException e) {
      throw new SnapshotException(
          Reason.BUILD_FAILED, "manifest " + manifestKey + " is unreadable: " + e.getMessage(), e);
    }
  }

  private static Snapshot await(CompletableFuture<Snapshot> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SnapshotException s) {
        throw new SnapshotException(s.reason(), s.getMessage(), s);
      }
      throw new SnapshotException(
          Reason.BUILD_FAILED, "the shared build failed: " + e.getCause(), e.getCause());
    }
  }

  private static SnapshotException storageFailure(String what, StorageException e) {
    Reason reason =
        switch (e.kind()) {
          case DENIED -> Reason.STORAGE_DENIED;
          case UNAVAILABLE, NOT_FOUND -> Reason.STORAGE_UNAVAILABLE;
          case FAILED -> Reason.BUILD_FAILED;
        };
    return new SnapshotException(reason, what + ": " + e.getMessage(), e);
  }
}
