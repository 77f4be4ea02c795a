package dev.velocity.preview.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Times every expected arrival of a load at once, with a small cost: one thread checks pending
 * files (a {@code stat} each; the bytes are read only when the file's inode, size or mtime
 * changed), each every half millisecond while it is young and then every 1/32 of its age (so a late
 * arrival is timed within ~3 %, and a backlog of late arrivals does not turn the checks into a CPU
 * load that slows the system further), and once a file is on disk its page is polled with one
 * asynchronous request at a time, 1 ms apart at first, doubling to 16 ms (a page that lags its file
 * under load must not turn the check into a request storm on the server it measures).
 *
 * <p>Why not a blocking poller per arrival on a thread pool (what the benchmark did before): under
 * load the pool filled up, an arrival waited in the queue before its timing even began, and the
 * queueing time was reported as latency (edit → disk "p50 68 s" at 200 sessions); and 32 threads
 * each re-reading a file every 0.5 ms and sending a request every 1 ms were a large share of the
 * CPU the benchmark was meant to measure. Here the clock starts at commit for every arrival and
 * nothing queues in front of a check.
 */
final class ArrivalWatch implements AutoCloseable {
  private static final long DISK_POLL_NANOS = 500_000;
  private static final long AGE_FRACTION = 32;
  private static final long SERVED_RETRY_FIRST_MILLIS = 1;
  private static final long SERVED_RETRY_MAX_MILLIS = 16;

  /**
   * One expected file content (or absence, when {@code expected} is null) in one workspace: {@code
   * onDisk} hears when {@code file} holds it, then {@code onServed} when {@code GET page} returns
   * it (null: 404); both hear empty after {@code timeout} from {@code committedAt} ({@link
   * System#nanoTime()} right after the commit).
   */
  record Expectation(
      Path file,
      byte[] expected,
      URI page,
      long committedAt,
      Duration timeout,
      Consumer<Optional<Duration>> onDisk,
      Consumer<Optional<Duration>> onServed) {}

  /** An expectation being watched, with what the last look at its file saw. */
  private static final class Pending {
    final Expectation e;
    final long deadline;
    Object seenKey;
    long seenSize = -1;
    long seenMtime;
    long nextCheck;

    Pending(Expectation e) {
      this.e = e;
      this.deadline = e.committedAt() + e.timeout().toNanos();
    }
  }

  private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final ExecutorService httpExecutor =
      Executors.newFixedThreadPool(2, daemon("arrival-http"));
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(daemon("arrival-retry"));
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .executor(httpExecutor)
          .build();
  private final Thread poller;
  private volatile boolean closed;

  ArrivalWatch() {
    poller = daemon("arrival-disk").newThread(this::pollDisk);
    poller.start();
  }

  /** Watches {@code e}; a file not on disk in time is reported missing for both. */
  void expect(Expectation e) {
    outstanding.addAndGet(2);
    incoming.add(new Pending(e));
    LockSupport.unpark(poller);
  }

  /** Waits until every expectation has been reported (or {@code timeout}); true when all were. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outstanding.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void pollDisk() {
    List<Pending> pending = new ArrayList<>();
    while (!closed) {
      for (Pending p; (p = incoming.poll()) != null; ) {
        pending.add(p);
      }
      if (pending.isEmpty()) {
        LockSupport.park(this);
        continue;
      }
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        long now = System.nanoTime();
        if (now < p.nextCheck && now <= p.deadline) {
          continue;
        }
        p.nextCheck = now + Math.max(DISK_POLL_NANOS, (now - p.e.committedAt()) / AGE_FRACTION);
        if (onDisk(p)) {
          it.remove();
          report(p.e.onDisk(), Optional.of(Duration.ofNanos(now - p.e.committedAt())));
          pollServed(p, SERVED_RETRY_FIRST_MILLIS);
        } else if (now > p.deadline) {
          it.remove();
          report(p.e.onDisk(), Optional.empty());
          report(p.e.onServed(), Optional.empty());
        }
      }
      LockSupport.parkNanos(DISK_POLL_NANOS);
    }
  }

  /** True when the file holds the expected bytes; reads them only when the file changed. */
  private static boolean onDisk(Pending p) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p.e.file(), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return p.e.expected() == null;
    } catch (IOException e) {
      return false;
    }
    if (p.e.expected() == null) {
      return false;
    }
    long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    if (a.size() == p.seenSize && mtime == p.seenMtime && Objects.equals(a.fileKey(), p.seenKey)) {
      return false;
    }
    p.seenSize = a.size();
    p.seenMtime = mtime;
    p.seenKey = a.fileKey();
    if (a.size() != p.e.expected().length) {
      return false;
    }
    try {
      return Arrays.equals(Files.readAllBytes(p.e.file()), p.e.expected());
    } catch (IOException e) {
      p.seenSize = -1;
      return false;
    }
  }

  private void pollServed(Pending p, long nextDelayMillis) {
    if (closed) {
      report(p.e.onServed(), Optional.empty());
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(p.e.page()).timeout(Duration.ofSeconds(2)).GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (r, e) -> {
              long now = System.nanoTime();
              boolean ok =
                  r != null
                      && (p.e.expected() == null
                          ? r.statusCode() == 404
                          : r.statusCode() == 200 && Arrays.equals(r.body(), p.e.expected()));
              if (ok) {
                report(p.e.onServed(), Optional.of(Duration.ofNanos(now - p.e.committedAt())));
              } else if (now > p.deadline || closed) {
                report(p.e.onServed(), Optional.empty());
              } else {
                try {
                  long after = Math.min(SERVED_RETRY_MAX_MILLIS, nextDelayMillis * 2);
                  retries.schedule(
                      () -> pollServed(p, after), nextDelayMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                  report(p.e.onServed(), Optional.empty());
                }
              }
            });
  }

  private void report(Consumer<Optional<Duration>> sink, Optional<Duration> result) {
    try {
      sink.accept(result);
    } finally {
      outstanding.decrementAndGet();
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(poller);
    retries.shutdownNow();
    httpExecutor.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
