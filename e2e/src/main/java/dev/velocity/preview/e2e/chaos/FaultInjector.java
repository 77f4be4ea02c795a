package dev.velocity.preview.e2e.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Injects faults one after another at random moments, from a seeded plan: every injectable kind
 * once in a shuffled order, then random kinds until the plan's length. Runs on its own thread while
 * the workload writes.
 */
final class FaultInjector implements AutoCloseable {
  private final ChaosTarget target;
  private final Random random;
  private final List<FaultKind> plan;
  private final Duration minGap;
  private final Duration maxGap;
  private final Consumer<String> log;
  private final Map<FaultKind, Fault> faults = new EnumMap<>(FaultKind.class);
  private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;

  FaultInjector(
      ChaosTarget target,
      Random random,
      int faultCount,
      Duration minGap,
      Duration maxGap,
      Consumer<String> log) {
    this.target = target;
    this.random = random;
    this.minGap = minGap;
    this.maxGap = maxGap;
    this.log = log;
    for (Fault f :
        List.of(
            new GatewayRestart(),
            new ListenBackendTermination(),
            new PostgresRestart(),
            new AgentKill(),
            new OperatorRestart(),
            new ObjectStoreOutage(),
            new PodDeletion())) {
      faults.put(f.kind(), f);
    }
    this.plan = plan(random, faultCount);
    this.thread = new Thread(this::run, "chaos-faults");
    thread.setDaemon(true);
  }

  /** Every injectable kind once (shuffled), then random kinds up to {@code count}. */
  static List<FaultKind> plan(Random random, int count) {
    List<FaultKind> plan = new ArrayList<>(FaultKind.injectable());
    Collections.shuffle(plan, random);
    List<FaultKind> kinds = FaultKind.injectable();
    while (plan.size() < count) {
      plan.add(kinds.get(random.nextInt(kinds.size())));
    }
    return List.copyOf(plan);
  }

  void start() {
    thread.start();
  }

  /** Waits until the whole plan was injected. */
  void await(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    if (thread.isAlive()) {
      errors.add("fault plan not finished within " + timeout);
    }
  }

  /** Faults injected so far, by kind. */
  synchronized Map<FaultKind, Integer> injected() {
    Map<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
    copy.putAll(injected);
    return copy;
  }

  /** Faults that could not be injected (each is a finding: the part did not come back). */
  List<String> errors() {
    return List.copyOf(errors);
  }

  private void run() {
    try {
      for (FaultKind kind : plan) {
        long gap =
            minGap.toMillis() + random.nextInt((int) (maxGap.toMillis() - minGap.toMillis() + 1));
        Thread.sleep(gap);
        long t = System.nanoTime();
        try {
          String what = faults.get(kind).inject(target, random);
          synchronized (this) {
            injected.merge(kind, 1, Integer::sum);
          }
          log.accept(kind + ": " + what + " (" + (System.nanoTime() - t) / 1_000_000 + " ms)");
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          errors.add(kind + " failed: " + e);
          log.accept(kind + " FAILED: " + e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(30_000);
  }
}
