package dev.velocity.preview.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The validation and documentation the generated schema must carry. */
class CrdSchemaTest {

  private static JsonNode version() throws Exception {
    return CrdFiles.generatedInDisplayOrder().path("spec").path("versions").get(0);
  }

  private static JsonNode spec() throws Exception {
    return version().path("schema").path("openAPIV3Schema").path("properties").path("spec");
  }

  @Test
  void namesScopeAndStatusSubresource() throws Exception {
    JsonNode crd = CrdFiles.generatedInDisplayOrder();
    assertThat(crd.path("metadata").path("name").asText())
        .isEqualTo("previewsessions.preview.velocity.dev");
    assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced");
    assertThat(crd.path("spec").path("names").path("shortNames").get(0).asText()).isEqualTo("pvs");
    assertThat(version().path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version().path("subresources").has("status")).isTrue();
  }

  @Test
  void projectIdIsARequiredUuid() throws Exception {
    JsonNode projectId = spec().path("properties").path("projectId");
    Pattern uuid = Pattern.compile(projectId.path("pattern").asText());
    assertThat(uuid.matcher("0b9f3c1e-3f2a-4d7e-9a51-5f6c7d8e9f01").matches()).isTrue();
    assertThat(uuid.matcher("0b9f3c1e3f2a4d7e9a515f6c7d8e9f01").matches()).isFalse();
    assertThat(uuid.matcher("../../etc/passwd").matches()).isFalse();
    assertThat(spec().path("required")).extracting(JsonNode::asText).contains("projectId", "image");
  }

  @Test
  void portHasARangeAndADefault() throws Exception {
    JsonNode port = spec().path("properties").path("port");
    assertThat(port.path("minimum").asDouble()).isEqualTo(0.0);
    assertThat(port.path("maximum").asDouble()).isEqualTo(65535.0);
    assertThat(port.path("default").asInt()).isEqualTo(3000);
  }

  @Test
  void lifetimesHaveMinimumsAndTheWorkspaceADefaultLimit() throws Exception {
    JsonNode props = spec().path("properties");
    assertThat(props.path("ttlSeconds").path("minimum").asDouble()).isEqualTo(1.0);
    assertThat(props.path("idleTimeoutSeconds").path("minimum").asDouble()).isEqualTo(1.0);
    assertThat(props.path("workspaceSizeLimit").path("default").asText()).isEqualTo("1Gi");
  }

  @Test
  void listsAndEnvValuesAreBounded() throws Exception {
    JsonNode props = spec().path("properties");
    assertThat(props.path("command").path("maxItems").asInt()).isEqualTo(64);
    assertThat(props.path("args").path("maxItems").asInt()).isEqualTo(256);
    assertThat(props.path("env").path("maxItems").asInt()).isEqualTo(256);
    JsonNode value = props.path("env").path("items").path("properties").path("value");
    assertThat(value.path("maxLength").asInt()).isEqualTo(32768);
  }

  @Test
  void envAcceptsLiteralValuesOnly() throws Exception {
    JsonNode item = spec().path("properties").path("env").path("items").path("properties");
    List<String> fields = new ArrayList<>();
    item.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrder("name", "value");
  }

  @Test
  void everySpecAndStatusFieldIsDocumented() throws Exception {
    JsonNode root = version().path("schema").path("openAPIV3Schema").path("properties");
    List<String> undocumented = new ArrayList<>();
    for (String part : List.of("spec", "status")) {
      for (Map.Entry<String, JsonNode> field : root.path(part).path("properties").properties()) {
        if (field.getValue().path("description").asText().isBlank()) {
          undocumented.add(part + "." + field.getKey());
        }
      }
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void phaseIsAnEnumOfTheDesignedPhases() throws Exception {
    JsonNode phase =
        version()
            .path("schema")
            .path("openAPIV3Schema")
            .path("properties")
            .path("status")
            .path("properties")
            .path("phase");
    assertThat(phase.path("enum"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(
            "Pending", "Snapshotting", "Starting", "Running", "Failed", "Expired", "Terminating");
  }
}
