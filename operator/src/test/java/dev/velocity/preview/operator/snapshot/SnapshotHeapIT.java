package dev.velocity.preview.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.operator.bench.SnapshotHeapBench;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The build streams: a project larger than the builder's whole heap is snapshotted by a child JVM
 * with {@code -Xmx32m}, and the uploaded zip holds every byte. (The 300 MB / {@code -Xmx128m} run
 * is {@link SnapshotHeapBench}; this is its small, fast regression guard.)
 */
class SnapshotHeapIT {
  @Test
  void projectLargerThanTheHeapBuildsInASmallJvm() throws Exception {
    List<SnapshotHeapBench.Result> results =
        SnapshotHeapBench.run(
            40,
            400,
            Map.of(
                "SNAPSHOT_BUFFER_BYTES",
                Integer.toString(1 << 20),
                "S3_PART_SIZE_BYTES",
                Integer.toString(5 << 20)),
            32);
    SnapshotHeapBench.Result result = results.get(0);
    assertThat(result.childReport()).as(result.toString()).startsWith("RESULT ");
    assertThat(result.sourceBytes()).isGreaterThan(40_000_000L - 400 * 256);
    assertThat(result.entries()).isEqualTo(400);
    assertThat(result.ok()).as(result.toString()).isTrue();
  }
}
