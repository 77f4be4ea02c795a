package dev.velocity.preview.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void parsesCommandPositionalsFlagsAndSwitches() {
    Args a =
        Args.parse(
            new String[] {"edit", "p", "--dir", "/tmp/x", "src/a.ts", "--keep", "--rate=50", "f"},
            "demo");
    assertThat(a.command()).isEqualTo("edit");
    assertThat(a.positional()).containsExactly("p", "src/a.ts", "f");
    assertThat(a.string("dir", null)).isEqualTo("/tmp/x");
    assertThat(a.has("keep")).isTrue();
    assertThat(a.integer("rate", 100, 1, 1000)).isEqualTo(50);
    a.requireAllRead();
    assertThat(Args.parse(new String[0], "demo").command()).isEqualTo("demo");
  }

  @Test
  void rejectsBadValuesAndUnknownFlagsNamingThem() {
    Args a =
        Args.parse(
            new String[] {"bench", "--rate", "fast", "--duration", "2m", "--sesions", "3"}, "demo");
    assertThatThrownBy(() -> a.integer("rate", 1, 1, 10))
        .hasMessage("--rate must be an integer, got 'fast'");
    assertThat(a.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(a::requireAllRead).hasMessage("unknown option --sesions for 'bench'");
    Args b = Args.parse(new String[] {"bench", "--rate", "0"}, "demo");
    assertThatThrownBy(() -> b.integer("rate", 1, 1, 10))
        .hasMessage("--rate must be between 1 and 10, got 0");
  }
}
