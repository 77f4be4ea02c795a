package dev.velocity.preview.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Fails when a checked-in CRD copy no longer matches what the Java types generate. */
class CrdDriftTest {

  @Test
  void checkedInCopiesMatchTheGeneratedCrd() throws Exception {
    assertThat(CrdFiles.generatedFile())
        .as("crd-generator-maven-plugin output (runs in process-classes)")
        .exists();
    JsonNode generated = CrdFiles.generatedInDisplayOrder();
    boolean update = Boolean.getBoolean("crd.update");
    for (Path copy : CrdFiles.checkedInCopies()) {
      if (update) {
        CrdFiles.write(copy, generated);
      }
      assertThat(Files.exists(copy))
          .as("%s is missing; regenerate it with -Dcrd.update=true", copy)
          .isTrue();
      assertThat(CrdFiles.read(copy))
          .as(
              "%s drifted from the Java types; regenerate: ./mvnw -B -pl crds verify"
                  + " -Dtest=CrdDriftTest -Dcrd.update=true",
              copy)
          .isEqualTo(generated);
    }
  }

  @Test
  void displayOrderPutsPhaseProjectRevisionAgeFirst() throws Exception {
    JsonNode columns =
        CrdFiles.generatedInDisplayOrder()
            .path("spec")
            .path("versions")
            .get(0)
            .path("additionalPrinterColumns");
    assertThat(columns)
        .extracting(c -> c.path("name").asText())
        .startsWith("PHASE", "PROJECT", "REVISION", "AGE");
    assertThat(columns).filteredOn(c -> c.path("priority").asInt() == 0).hasSize(4);
  }
}
