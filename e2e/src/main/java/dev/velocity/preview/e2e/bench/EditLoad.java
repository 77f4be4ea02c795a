package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.db.ProjectFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A steady stream of single-file edits ({@code upsert_project_file}) at a fixed rate over every
 * project. After each commit, a few random sessions of that project are timed until the new bytes
 * are in their workspace and served by their dev server.
 */
final class EditLoad {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What the load did. */
  record Result(
      Stats toDisk,
      Stats toServed,
      Stats commit,
      long edits,
      long failed,
      Duration measured,
      long deliveries) {}

  private final BenchParams params;
  private final ProjectFiles files;
  private final List<BenchProjectState> projects;
  private final Map<BenchProjectState, List<BenchSession>> byProject;
  private final Console console;
  private final WindowedStats window;
  private final Stats toDisk = new Stats("edit committed → file on disk");
  private final Stats toServed = new Stats("edit committed → served by the dev server");
  private final Stats commit = new Stats("upsert_project_file call (commit)");
  private final AtomicLong edits = new AtomicLong();
  private final AtomicLong measuredEdits = new AtomicLong();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  EditLoad(
      BenchParams params,
      ProjectFiles files,
      List<BenchProjectState> projects,
      List<BenchSession> sessions,
      Console console,
      WindowedStats window) {
    this.params = params;
    this.window = window;
    this.files = files;
    this.projects = projects;
    this.byProject = sessions.stream().collect(Collectors.groupingBy(BenchSession::project));
    this.console = console;
  }

  Result run() throws InterruptedException {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    ArrivalWatch arrivals = new ArrivalWatch();
    long start = System.nanoTime();
    long measureFrom = start + params.warmup().toNanos();
    long end = measureFrom + params.duration().toNanos();
    long period = 1_000_000_000L / params.rate();
    AtomicLong tick = new AtomicLong();
    console.line(
        "editing at "
            + params.rate()
            + " edits/s for "
            + params.warmup().toSeconds()
            + " s warm-up + "
            + params.duration().toSeconds()
            + " s measured");
    ticker.scheduleAtFixedRate(
        () -> {
          long n = tick.getAndIncrement();
          BenchProjectState p = projects.get((int) (n % projects.size()));
          writers.execute(() -> edit(p, n, measureFrom, end, arrivals));
        },
        0,
        period,
        TimeUnit.NANOSECONDS);
    while (System.nanoTime() < end) {
      Thread.sleep(1000);
      long elapsed = Math.max(0, System.nanoTime() - measureFrom);
      console.progress(
          "measuring edits",
          Math.min(params.duration().toSeconds(), TimeUnit.NANOSECONDS.toSeconds(elapsed)),
          params.duration().toSeconds());
    }
    ticker.shutdown();
    writers.shutdown();
    writers.awaitTermination(1, TimeUnit.MINUTES);
    arrivals.awaitIdle(TIMEOUT.plusSeconds(5));
    arrivals.close();
    return new Result(
        toDisk,
        toServed,
        commit,
        measuredEdits.get(),
        failed.get(),
        params.duration(),
        deliveries.get());
  }

  private void edit(
      BenchProjectState p, long n, long measureFrom, long end, ArrivalWatch arrivals) {
    FileChangeRequest file = p.nextFile();
    String content = file.content() + "/* edit " + n + " */\n";
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    long before = System.nanoTime();
    try {
      files.upsert(p.owner(), p.project(), file.path(), content, file.fileType());
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      return;
    }
    long committed = System.nanoTime();
    edits.incrementAndGet();
    window.edit();
    if (committed < measureFrom || committed > end) {
      return;
    }
    measuredEdits.incrementAndGet();
    commit.add(Duration.ofNanos(committed - before));
    List<BenchSession> targets = byProject.getOrDefault(p, List.of());
    deliveries.addAndGet(targets.size());
    for (BenchSession s : sample(targets)) {
      arrivals.expect(
          new ArrivalWatch.Expectation(
              s.workspace().resolve(file.path()),
              bytes,
              s.site().resolve(file.path()),
              committed,
              TIMEOUT,
              d ->
                  d.ifPresentOrElse(
                      t -> {
                        toDisk.add(t);
                        window.add(t);
                      },
                      () -> {
                        toDisk.missing();
                        window.missing();
                      }),
              d -> d.ifPresentOrElse(toServed::add, toServed::missing)));
    }
  }

  private List<BenchSession> sample(List<BenchSession> all) {
    List<BenchSession> copy = new ArrayList<>(all);
    java.util.Collections.shuffle(copy, ThreadLocalRandom.current());
    return copy.subList(0, Math.min(params.sampled(), copy.size()));
  }
}
