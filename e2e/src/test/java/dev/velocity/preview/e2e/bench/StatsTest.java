package dev.velocity.preview.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankPercentilesAndMissingSamples() {
    Stats s = new Stats("x");
    assertThat(s.percentile(50)).isNull();
    for (int i = 100; i >= 1; i--) {
      s.add(Duration.ofMillis(i));
    }
    s.missing();
    assertThat(s.percentile(50)).isEqualTo(Duration.ofMillis(50));
    assertThat(s.percentile(95)).isEqualTo(Duration.ofMillis(95));
    assertThat(s.percentile(99)).isEqualTo(Duration.ofMillis(99));
    assertThat(s.percentile(100)).isEqualTo(Duration.ofMillis(100));
    assertThat(s.row())
        .isEqualTo("| x | 100 (+1 missing) | 50.0 ms | 95.0 ms | 99.0 ms | 100.0 ms |");
  }

  @Test
  void paddingReachesTheTargetSizeAndKeepsTheContentFirst() {
    String padded = BenchProject.pad("src/a.ts", "export const a = 1;\n", 1024);
    assertThat(padded)
        .startsWith("export const a = 1;\n")
        .hasSizeGreaterThanOrEqualTo(1024)
        .hasSizeLessThan(1024 + 80);
    assertThat(BenchProject.pad("package.json", "{}", 1024)).isEqualTo("{}");
    assertThat(BenchProject.files(200, 512, 1))
        .hasSize(200)
        .allSatisfy(f -> assertThat(f.content()).isNotNull());
  }
}
