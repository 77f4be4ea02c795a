package dev.velocity.preview.crds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The CRD as the generator writes it and as it is checked in. The generator orders printer columns
 * by JSON path (fabric8io/kubernetes-client#7454); kubectl shows them in list order, so the
 * checked-in copies carry them in {@link #COLUMN_ORDER}.
 */
final class CrdFiles {

  static final String FILE_NAME = PreviewSession.CRD_NAME + "-v1.yml";

  static final List<String> COLUMN_ORDER =
      List.of("PHASE", "PROJECT", "REVISION", "AGE", "POD", "URL", "MESSAGE");

  static final String HEADER =
      "# Generated from the Java types in dev.velocity.preview.crds by crd-generator-maven-plugin.\n"
          + "# Do not edit. Regenerate: ./mvnw -B -pl crds verify -Dtest=CrdDriftTest"
          + " -Dcrd.update=true\n";

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private CrdFiles() {}

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  static Path generatedFile() {
    return moduleDir().resolve("target/classes/META-INF/fabric8").resolve(FILE_NAME);
  }

  static List<Path> checkedInCopies() {
    Path module = moduleDir();
    return List.of(
        module.resolve(FILE_NAME),
        module.resolve("../charts/preview-operator/crds").resolve(FILE_NAME).normalize());
  }

  /** The generated CRD with its printer columns in display order. */
  static JsonNode generatedInDisplayOrder() throws IOException {
    JsonNode crd = read(generatedFile());
    for (JsonNode version : crd.path("spec").path("versions")) {
      ArrayNode columns = (ArrayNode) version.path("additionalPrinterColumns");
      List<JsonNode> sorted = new ArrayList<>();
      columns.forEach(sorted::add);
      sorted.sort(Comparator.comparingInt(c -> displayIndex(c.path("name").asText())));
      ((ObjectNode) version).set("additionalPrinterColumns", YAML.createArrayNode().addAll(sorted));
    }
    return crd;
  }

  private static int displayIndex(String column) {
    int index = COLUMN_ORDER.indexOf(column);
    if (index < 0) {
      throw new IllegalStateException(
          "printer column " + column + " has no place in CrdFiles.COLUMN_ORDER");
    }
    return index;
  }

  static JsonNode read(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  static void write(Path file, JsonNode crd) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, HEADER + YAML.writeValueAsString(crd));
  }
}
