package dev.velocity.preview.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChartLintTest {

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void lintStrictPasses(ValueSets values) {
    LintResult result = ChartUnderTest.lintStrict(values.yaml());

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
  }

  @Test
  void lintStrictFailsOnValuesTheSchemaRejects() {
    LintResult result =
        ChartUnderTest.lintStrict(
            """
            operator:
              replicas: two
            """);

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages()))
        .contains("[ERROR] values.yaml: - at '/operator/replicas': got string, want integer");
  }
}
