package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.EnvEntry;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Sessions and snapshots for unit tests. */
public final class TestSessions {

  static final String PROJECT = "0b9f3c1e-3f2a-4d7e-9a51-5f6c7d8e9f01";
  static final SessionPodSettings SETTINGS =
      new SessionPodSettings(
          "registry.example/preview-agent:1.2.3", "http://gateway.preview.svc:8080", 10001);

  private TestSessions() {}

  static PreviewSession session(String name) {
    PreviewSessionSpec spec = new PreviewSessionSpec();
    spec.setProjectId(PROJECT);
    spec.setImage("node:22-alpine");
    spec.setCommand(List.of("npm"));
    spec.setArgs(List.of("run", "dev"));
    spec.setEnv(new ArrayList<>(List.of(new EnvEntry("NODE_ENV", "development"))));
    spec.setResources(
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("250m"))
            .addToLimits("memory", new Quantity("1Gi"))
            .build());
    spec.setWorkspaceSizeLimit(new Quantity("2Gi"));
    PreviewSession session = new PreviewSession();
    session.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("previews")
            .withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
            .withGeneration(1L)
            .withCreationTimestamp("2026-11-25T10:00:00Z")
            .build());
    session.setSpec(spec);
    return session;
  }

  static SessionSnapshot snapshot() {
    return new SessionSnapshot(
        42,
        "snapshots/" + PROJECT + "/42.zip",
        "ab".repeat(32),
        17,
        20480,
        false,
        Duration.ofMillis(120));
  }
}
