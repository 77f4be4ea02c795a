package dev.velocity.preview.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example a person applies must be a valid session. */
class ExampleSessionTest {

  @Test
  void exampleIsAValidPreviewSession() throws Exception {
    Path example = CrdFiles.moduleDir().resolve("../examples/preview-session.yaml").normalize();
    PreviewSession session =
        Serialization.unmarshal(Files.readString(example), PreviewSession.class);

    assertThat(session.getApiVersion()).isEqualTo("preview.velocity.dev/v1alpha1");
    assertThat(session.getKind()).isEqualTo("PreviewSession");
    assertThat(session.getMetadata().getName()).isEqualTo("my-app-preview");
    PreviewSessionSpec spec = session.getSpec();
    assertThat(spec.getProjectId()).matches(PreviewSessionSpec.UUID_PATTERN);
    assertThat(spec.getImage()).isNotBlank();
    assertThat(spec.getPort()).isBetween(1, 65535);
    assertThat(spec.getTtlSeconds()).isPositive();
    assertThat(spec.getIdleTimeoutSeconds()).isPositive();
    assertThat(spec.getWorkspaceSizeLimit().toString()).isEqualTo("2Gi");
    assertThat(spec.getEnv()).extracting(EnvEntry::getName).containsExactly("NODE_ENV", "HOME");
  }

  @Test
  void absentOptionalFieldsTakeTheSchemaDefaults() {
    PreviewSession session =
        Serialization.unmarshal(
            "{\"apiVersion\":\"preview.velocity.dev/v1alpha1\",\"kind\":\"PreviewSession\","
                + "\"metadata\":{\"name\":\"a\"},\"spec\":{\"projectId\":"
                + "\"0b9f3c1e-3f2a-4d7e-9a51-5f6c7d8e9f01\",\"image\":\"node:22\"}}",
            PreviewSession.class);
    assertThat(session.getSpec().getPort()).isEqualTo(PreviewSessionSpec.DEFAULT_PORT);
    assertThat(session.getSpec().getWorkspaceSizeLimit().toString()).isEqualTo("1Gi");
    assertThat(session.getSpec().getCommand()).isEmpty();
    assertThat(session.getSpec().getTtlSeconds()).isNull();
  }
}
