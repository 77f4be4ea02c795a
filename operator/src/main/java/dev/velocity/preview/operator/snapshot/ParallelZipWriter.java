package dev.velocity.preview.operator.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * Compresses entries concurrently and writes them in the order they were added, so the archive is
 * the same as a sequential build. Memory is bounded: at most {@code budgetBytes} of input is in
 * flight (one larger file is let through alone). Not thread-safe: one producer adds entries.
 */
final class ParallelZipWriter implements AutoCloseable {
  private final DeterministicZipWriter zip;
  private final EntryCompressor compressor;
  private final Executor executor;
  private final long budget;
  private final Path tempDir;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private List<Callable<CompressedEntry>> batch = new ArrayList<>();
  private long batchBytes;
  private long inFlight;

  /** Small files are compressed in batches so per-task overhead stays small. */
  private static final long BATCH_BYTES = 256 << 10;

  private static final int BATCH_FILES = 256;

  private record Pending(FutureTask<List<CompressedEntry>> task, long cost) {}

  ParallelZipWriter(
      OutputStream out,
      EntryCompressor compressor,
      Executor executor,
      long budgetBytes,
      Path tempDir) {
    this.zip = new DeterministicZipWriter(out);
    this.compressor = compressor;
    this.executor = executor;
    this.budget = budgetBytes;
    this.tempDir = tempDir;
  }

  /** Queues a file held in memory. */
  void add(String path, byte[] content) throws IOException {
    boolean store = CompressedTypes.isCompressed(path);
    batch.add(() -> compressor.compress(path, content, store));
    batchBytes += content.length;
    if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_FILES) {
      flushBatch();
    }
  }

  /** Queues a large file already in a temporary file (which this writer then owns). */
  void add(String path, Path raw, long size) throws IOException {
    boolean store = CompressedTypes.isCompressed(path);
    flushBatch();
    // the file is on disk: only the compressor's buffers count against the budget
    submit(
        List.of(
            () -> {
              try {
                return compressor.compressFile(path, raw, size, store, tempDir);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
        256 << 10);
  }

  /** Writes every queued entry and the central directory; returns the archive size. */
  long finish() throws IOException {
    flushBatch();
    while (!pending.isEmpty()) {
      writeHead();
    }
    return zip.finish();
  }

  /** Entries written so far. */
  int entryCount() {
    return zip.entryCount();
  }

  /** Abandons queued work (after a failure) and deletes its temporary files. */
  @Override
  public void close() {
    while (!pending.isEmpty()) {
      Pending p = pending.poll();
      p.task().cancel(false);
      if (p.task().isDone() && !p.task().isCancelled()) {
        try {
          p.task().get().forEach(CompressedEntry::release);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException ignored) {
          // the failure is reported by whoever saw it first
        }
      }
    }
  }

  private void flushBatch() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<Callable<CompressedEntry>> work = batch;
    long bytes = batchBytes;
    batch = new ArrayList<>();
    batchBytes = 0;
    submit(work, bytes);
  }

  private void submit(List<Callable<CompressedEntry>> work, long size) throws IOException {
    long cost = Math.min(Math.max(size, 1), budget);
    while (!pending.isEmpty() && inFlight + cost > budget) {
      writeHead();
    }
    FutureTask<List<CompressedEntry>> task =
        new FutureTask<>(
            () -> {
              List<CompressedEntry> done = new ArrayList<>(work.size());
              try {
                for (Callable<CompressedEntry> c : work) {
                  done.add(c.call());
                }
              } catch (Exception e) {
                done.forEach(CompressedEntry::release);
                throw e;
              }
              return done;
            });
    pending.add(new Pending(task, cost));
    inFlight += cost;
    executor.execute(task);
    while (!pending.isEmpty() && pending.peek().task().isDone()) {
      writeHead();
    }
  }

  private void writeHead() throws IOException {
    Pending head = pending.poll();
    List<CompressedEntry> entries;
    try {
      entries = head.task().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing", e);
    } catch (ExecutionException e) {
      Throwable cause =
          e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw new IOException("compressing failed: " + cause.getMessage(), cause);
    }
    inFlight -= head.cost();
    try {
      for (CompressedEntry entry : entries) {
        zip.write(entry);
      }
    } finally {
      entries.forEach(CompressedEntry::release);
    }
  }
}
