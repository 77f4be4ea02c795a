package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.token.MintedToken;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMetrics;
import dev.velocity.preview.operator.token.TokenMinter;
import dev.velocity.preview.operator.token.TokenVerifier;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Session-token mint and verify throughput (Ed25519, jjwt), on 1 and on all CPUs.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.operator.bench.TokenThroughputBench [seconds]
 * </pre>
 */
public final class TokenThroughputBench {
  private TokenThroughputBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    TokenConfig config = TokenConfig.generated();
    TokenKeys keys = TokenKeys.generate("bench");
    TokenMetrics metrics = TokenMetrics.of(new PrometheusRegistry());
    TokenMinter minter = new TokenMinter(config, keys, Clock.systemUTC(), metrics);
    TokenVerifier verifier = new TokenVerifier(config, keys, Clock.systemUTC(), metrics);
    UUID project = UUID.randomUUID();
    MintedToken token = minter.mint("uid", "ns", "name", project);
    // warm-up
    run(1, 1, () -> minter.mint("uid", "ns", "name", project));
    run(1, 1, () -> verifier.verify(token.token(), project));
    int cpus = Runtime.getRuntime().availableProcessors();
    System.out.println("| operation | threads | ops/s | µs/op (per thread) |");
    System.out.println("|---|---|---|---|");
    for (int threads : new int[] {1, cpus}) {
      report(
          "mint", threads, run(threads, seconds, () -> minter.mint("uid", "ns", "name", project)));
      report(
          "verify", threads, run(threads, seconds, () -> verifier.verify(token.token(), project)));
    }
  }

  @FunctionalInterface
  private interface Op {
    void run() throws Exception;
  }

  private static void report(String name, int threads, double opsPerSecond) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.0f | %.1f |%n",
        name,
        threads,
        opsPerSecond,
        1e6 * threads / opsPerSecond);
  }

  private static double run(int threads, double seconds, Op op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    List<Future<Long>> counts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      counts.add(
          pool.submit(
              () -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                  op.run();
                  n++;
                }
                return n;
              }));
    }
    long total = 0;
    for (Future<Long> f : counts) {
      total += f.get();
    }
    pool.shutdown();
    return total / ((System.nanoTime() - start) / 1e9);
  }
}
