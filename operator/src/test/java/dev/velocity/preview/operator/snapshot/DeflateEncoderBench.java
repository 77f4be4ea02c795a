package dev.velocity.preview.operator.snapshot;

import dev.velocity.preview.operator.bench.SourceTextGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * Speed and ratio of the snapshot's deflate encoders on one thread: {@link FastDeflater} against
 * zlib level 1, alternating in one JVM. Lives next to the package-private encoder rather than in
 * {@code bench/}.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.operator.snapshot.DeflateEncoderBench [DIR ...]
 * </pre>
 *
 * <p>Inputs: the snapshot bench's generated source text (3,000 × 10.3 KB), each text file under the
 * given directories (default: {@code agent/src e2e/src sql/src}, text this encoder's code was not
 * fitted to), and every one of those files under 4 KiB.
 */
public final class DeflateEncoderBench {
  private static final String TEXT =
      ".*\\.(java|md|ya?ml|json|js|ts|tsx|css|html|sql|sh|xml|txt|properties)$";

  private DeflateEncoderBench() {}

  public static void main(String[] args) throws IOException {
    Map<String, List<byte[]>> sets = new LinkedHashMap<>();
    SourceTextGenerator generator = new SourceTextGenerator(7);
    List<byte[]> generated = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      generated.add(generator.module(10_300).getBytes(StandardCharsets.UTF_8));
    }
    sets.put("bench generator", generated);
    List<String> dirs =
        args.length > 0 ? List.of(args) : List.of("agent/src", "e2e/src", "sql/src");
    List<byte[]> files = new ArrayList<>();
    for (String dir : dirs) {
      try (Stream<Path> walk = Files.walk(Path.of(dir))) {
        for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
          if (p.toString().matches(TEXT)) {
            files.add(Files.readAllBytes(p));
          }
        }
      }
    }
    sets.put(String.join(" ", dirs), files);
    sets.put("of those, files < 4 KiB", files.stream().filter(b -> b.length < 4096).toList());
    System.out.println(
        "| input | files | MB | fast MB/s | fast ratio | zlib level 1 MB/s | zlib ratio |");
    System.out.println("|---|---|---|---|---|---|---|");
    FastDeflater fast = new FastDeflater();
    Deflater zlib = new Deflater(1, true);
    byte[] out = new byte[64 << 20];
    for (Map.Entry<String, List<byte[]>> set : sets.entrySet()) {
      long total = set.getValue().stream().mapToLong(b -> b.length).sum();
      if (total == 0) {
        continue;
      }
      double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
      long[] sizes = new long[2];
      for (int round = 0; round < 5; round++) {
        long t = System.nanoTime();
        long size = 0;
        for (byte[] b : set.getValue()) {
          size += fast.deflate(b, b.length);
        }
        best[0] = Math.min(best[0], (System.nanoTime() - t) / 1e9);
        sizes[0] = size;
        t = System.nanoTime();
        size = 0;
        for (byte[] b : set.getValue()) {
          zlib.reset();
          zlib.setInput(b);
          zlib.finish();
          int n = 0;
          while (!zlib.finished()) {
            n += zlib.deflate(out, n, out.length - n);
          }
          size += n;
        }
        best[1] = Math.min(best[1], (System.nanoTime() - t) / 1e9);
        sizes[1] = size;
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.1f | %.0f | %.3f | %.0f | %.3f |%n",
          set.getKey(),
          set.getValue().size(),
          total / 1e6,
          total / 1e6 / best[0],
          sizes[0] / (double) total,
          total / 1e6 / best[1],
          sizes[1] / (double) total);
    }
    zlib.end();
  }
}
