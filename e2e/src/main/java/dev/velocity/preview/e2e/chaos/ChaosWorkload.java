package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.db.DatabaseException;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.protocol.ContentHash;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seeded edit workload: one writer thread per project making upserts, deletes and bulk applies
 * through the SQL functions, with empty files, one 5 MiB file, unicode and deep paths, a file
 * overwritten many times back to back, and delete-then-recreate. A write failing for a transient
 * reason (the database restarting) is retried until it is acknowledged, so every change the writer
 * counts is one the database must hold; what it holds is in {@link ChaosProject#acknowledged()}.
 */
final class ChaosWorkload {
  private static final long RETRY_FOR_NANOS = 120_000_000_000L;
  private static final String TYPE = "text";

  /**
   * What the workload did.
   *
   * @param edits file changes acknowledged by the database (a bulk item counts as one)
   * @param operations calls acknowledged, by kind
   * @param retries calls repeated after a transient failure
   */
  record Result(long edits, Map<String, Long> operations, long retries) {}

  private final ProjectFiles files;
  private final List<ChaosProject> projects;
  private final long seed;
  private final PathPool pool = new PathPool();
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong edits = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final Map<String, AtomicLong> operations = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Set<Integer> bigRequested = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  ChaosWorkload(ProjectFiles files, List<ChaosProject> projects, long seed) {
    this.files = files;
    this.projects = List.copyOf(projects);
    this.seed = seed;
  }

  /** Starts one writer per project. */
  void start() {
    for (ChaosProject p : projects) {
      Thread t = new Thread(() -> write(p), "chaos-writer-" + p.index());
      t.setDaemon(true);
      writers.add(t);
      t.start();
    }
  }

  /** Asks the writer of project {@code index} to rewrite its 5 MiB file next. */
  void requestBigWrite(int index) {
    bigRequested.add(index);
  }

  /** Edits acknowledged so far. */
  long edits() {
    return edits.get();
  }

  /** Lets every writer finish its current call (retries included) and stop. */
  Result stop() throws InterruptedException {
    stopping = true;
    for (Thread t : writers) {
      t.join();
    }
    Map<String, Long> ops = new java.util.TreeMap<>();
    operations.forEach((k, v) -> ops.put(k, v.get()));
    return new Result(edits.get(), ops, retries.get());
  }

  /** Why a writer gave up (a write refused for a non-transient reason), if one did. */
  Throwable failure() {
    return failure.get();
  }

  private void write(ChaosProject p) {
    Random r = new Random(seed * 1_000_003L + p.index());
    int bigAt = 3 + r.nextInt(15);
    try {
      for (int n = 0; !stopping; n++) {
        if (n == bigAt || bigRequested.remove(p.index())) {
          upsert(p, PathPool.BIG, ContentGenerator.big(r), "big");
        } else {
          step(p, r, n);
        }
        Thread.sleep(30 + r.nextInt(90));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private void step(ChaosProject p, Random r, int n) {
    int roll = r.nextInt(100);
    if (roll < 40) {
      upsert(p, pool.pick(r), ContentGenerator.text(r, n), "upsert");
    } else if (roll < 46) {
      upsert(p, pool.pick(r), "", "empty");
    } else if (roll < 58) {
      existing(p, r).ifPresent(path -> delete(p, path, "delete"));
    } else if (roll < 74) {
      bulk(p, r, n);
    } else if (roll < 84) {
      int times = 8 + r.nextInt(8);
      for (int i = 0; i < times; i++) {
        upsert(p, PathPool.HOT, "hot " + n + "." + i + "\n", "rapid-overwrite");
      }
    } else {
      existing(p, r)
          .ifPresent(
              path -> {
                delete(p, path, "delete-then-recreate");
                upsert(p, path, ContentGenerator.text(r, n), "delete-then-recreate");
              });
    }
  }

  private java.util.Optional<String> existing(ChaosProject p, Random r) {
    List<String> present = new ArrayList<>(new java.util.TreeSet<>(p.acknowledged().keySet()));
    present.remove(PathPool.BIG); // the big file stays: its bytes are checked at the end
    return present.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(present.get(r.nextInt(present.size())));
  }

  private void bulk(ChaosProject p, Random r, int n) {
    Set<String> paths = new LinkedHashSet<>();
    int size = 2 + r.nextInt(9);
    for (int i = 0; i < size; i++) {
      paths.add(pool.pick(r));
    }
    List<FileChangeRequest> changes = new ArrayList<>();
    for (String path : paths) {
      boolean delete = p.acknowledged().containsKey(path) && r.nextInt(4) == 0;
      changes.add(
          delete
              ? FileChangeRequest.delete(path)
              : FileChangeRequest.upsert(
                  path, TYPE, r.nextInt(8) == 0 ? "" : ContentGenerator.text(r, n)));
    }
    acknowledged("bulk", () -> files.bulk(p.owner(), p.id(), changes));
    for (FileChangeRequest ch : changes) {
      record(p, ch.path(), ch.isDelete() ? null : ch.content());
    }
  }

  private void upsert(ChaosProject p, String path, String content, String op) {
    acknowledged(op, () -> files.upsert(p.owner(), p.id(), path, content, TYPE));
    record(p, path, content);
  }

  private void delete(ChaosProject p, String path, String op) {
    acknowledged(op, () -> files.delete(p.owner(), p.id(), path));
    record(p, path, null);
  }

  private void record(ChaosProject p, String path, String content) {
    if (content == null) {
      p.acknowledged().remove(path);
    } else {
      p.acknowledged().put(path, ContentHash.sha256Hex(content));
    }
    edits.incrementAndGet();
  }

  /**
   * Runs {@code call} until the database acknowledges it. A transient failure (connection lost,
   * server shutting down or starting) leaves the outcome unknown, so the call is repeated: an
   * upsert is idempotent, and a delete answered {@code PT404} on a repeat means the first attempt
   * committed (only this thread writes the project).
   */
  private void acknowledged(String op, Runnable call) {
    long deadline = System.nanoTime() + RETRY_FOR_NANOS;
    for (int attempt = 1; ; attempt++) {
      try {
        call.run();
        operations.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
        return;
      } catch (DatabaseException e) {
        if (attempt > 1 && "PT404".equals(e.sqlState())) {
          operations.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
          return;
        }
        if (!transientFailure(e.sqlState()) || System.nanoTime() > deadline) {
          throw new IllegalStateException(op + " refused (attempt " + attempt + "): " + e, e);
        }
        retries.incrementAndGet();
        sleep(200);
      }
    }
  }

  private static boolean transientFailure(String sqlState) {
    return sqlState == null
        || sqlState.startsWith("08") // connection exception
        || sqlState.startsWith("57") // operator intervention: admin shutdown, cannot connect now
        || sqlState.startsWith("53") // insufficient resources (too many connections)
        || sqlState.startsWith("40") // transaction rollback: serialization, deadlock
        || sqlState.equals("PT429"); // rate limit
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
