package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicProjectionTest {
  @TempDir Path dir;

  @Test
  void swapsTheWholeSetAtOnceAndRemovesStaleNames() throws Exception {
    assertThat(AtomicProjection.write(dir, Map.of("token", b("one"), "url", b("u1")), 0644))
        .isTrue();
    assertThat(Files.readString(dir.resolve("token"))).isEqualTo("one");
    assertThat(Files.isSymbolicLink(dir.resolve("token"))).isTrue();
    assertThat(Files.isSymbolicLink(dir.resolve("..data"))).isTrue();
    Path first = dir.resolve("..data").toRealPath();

    assertThat(AtomicProjection.write(dir, Map.of("token", b("one"), "url", b("u1")), 0644))
        .isFalse();
    assertThat(dir.resolve("..data").toRealPath()).isEqualTo(first);

    assertThat(AtomicProjection.write(dir, Map.of("token", b("two")), 0600)).isTrue();
    assertThat(Files.readString(dir.resolve("token"))).isEqualTo("two");
    assertThat(Files.exists(dir.resolve("url"))).isFalse();
    assertThat(Files.exists(first)).isFalse();
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(
              entries
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.startsWith("..") && !n.equals("..data")))
          .hasSize(1);
    }
  }

  @Test
  void refusesPathsLeavingTheVolume() {
    assertThatThrownBy(() -> AtomicProjection.write(dir, Map.of("../escape", b("x")), 0644))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("projected path escapes the volume: ../escape");
    assertThat(Files.exists(dir.getParent().resolve("escape"))).isFalse();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
