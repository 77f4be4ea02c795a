package dev.velocity.preview.operator.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
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
  private long inFlight;

  private record Pending(FutureTask<CompressedEntry> task, long cost) {}

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
    submit(() -> compressor.compress(path, content, store), content.length);
  }

  /** Queues a large file already in a temporary file (which this writer then owns). */
  void add(String path, Path raw, long size) throws IOException {
    boolean store = CompressedTypes.isCompressed(path);
    // the file is on disk: only the compressor's buffers count against the budget
    submit(
        () -> {
          try {
            return compressor.compressFile(path, raw, size, store, tempDir);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        256 << 10);
  }

  /** Writes every queued entry and the central directory; returns the archive size. */
  long finish() throws IOException {
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
          p.task().get().release();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException ignored) {
          // the failure is reported by whoever saw it first
        }
      }
    }
  }

  private void submit(java.util.concurrent.Callable<CompressedEntry> work, long size)
      throws IOException {
    long cost = Math.min(Math.max(size, 1), budget);
    while (!pending.isEmpty() && inFlight + cost > budget) {
      writeHead();
    }
    FutureTask<CompressedEntry> task = new FutureTask<>(work);
    pending.add(new Pending(task, cost));
    inFlight += cost;
    executor.execute(task);
    while (!pending.isEmpty() && pending.peek().task().isDone()) {
      writeHead();
    }
  }

  private void writeHead() throws IOException {
    Pending head = pending.poll();
    CompressedEntry entry;
    try {
      entry = head.task().get();
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
      zip.write(entry);
    } finally {
      entry.release();
    }
  }
}
