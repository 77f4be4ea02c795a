package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VarExpansionTest {
  private final Map<String, String> vars = Map.of("A", "one", "B", "$(A)");

  @Test
  void expandsDefinedReferencesLeavesUndefinedAndUnescapesDollars() {
    assertThat(VarExpansion.expand("$(A)-$(A)", vars)).isEqualTo("one-one");
    assertThat(VarExpansion.expand("x$(MISSING)y", vars)).isEqualTo("x$(MISSING)y");
    assertThat(VarExpansion.expand("$$(A) costs $5 $", vars)).isEqualTo("$(A) costs $5 $");
    assertThat(VarExpansion.expand("$(B)", vars)).isEqualTo("$(A)");
    assertThat(VarExpansion.expand("$(unterminated", vars)).isEqualTo("$(unterminated");
    assertThat(VarExpansion.expand(null, vars)).isNull();
  }
}
