package dev.velocity.preview.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The chart README's values table documents every value of values.yaml, and nothing else. */
class ChartReadmeTest {

  /** Values documented as one object rather than key by key. */
  private static final Set<String> DOCUMENTED_AS_OBJECTS =
      Set.of(
          "operator.resources",
          "operator.probes",
          "gateway.resources",
          "gateway.probes",
          "migration.resources",
          "podSecurityContext",
          "securityContext",
          "dashboard.labels",
          "networkPolicy.sessionPodSelector");

  private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([A-Za-z0-9_.]+)` \\|");

  @Test
  void everyValueIsDocumentedAndEveryDocumentedValueExists() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher rows = TABLE_ROW.matcher(Files.readString(ChartUnderTest.SOURCE.resolve("README.md")));
    while (rows.find()) {
      documented.add(rows.group(1));
    }
    Set<String> values = new TreeSet<>();
    collect(
        new ObjectMapper(new YAMLFactory())
            .readTree(ChartUnderTest.SOURCE.resolve("values.yaml").toFile()),
        "",
        values);

    assertThat(documented).as("documented in README.md").containsAll(values);
    assertThat(values).as("values in values.yaml").containsAll(documented);
  }

  private static void collect(JsonNode node, String path, Set<String> out) {
    if (node.isObject() && !node.isEmpty() && !DOCUMENTED_AS_OBJECTS.contains(path)) {
      node.fields()
          .forEachRemaining(
              field ->
                  collect(
                      field.getValue(),
                      path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
                      out));
    } else {
      out.add(path);
    }
  }
}
