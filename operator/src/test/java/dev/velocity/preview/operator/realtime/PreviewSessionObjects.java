package dev.velocity.preview.operator.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.UUID;

/** PreviewSession objects on the mock API server, as generic resources. */
final class PreviewSessionObjects {
  private PreviewSessionObjects() {}

  static GenericKubernetesResource create(
      KubernetesClient client, String namespace, String name, String phase) {
    GenericKubernetesResource session =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("preview.velocity.dev/v1alpha1")
            .withKind("PreviewSession")
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec", Map.of("projectId", UUID.randomUUID().toString()),
                    "status", Map.of("phase", phase)))
            .build();
    return client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inNamespace(namespace)
        .resource(session)
        .create();
  }

  static GenericKubernetesResource get(KubernetesClient client, String namespace, String name) {
    return client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  static void delete(KubernetesClient client, String namespace, String name) {
    client
        .genericKubernetesResources(KubernetesSessionRegistry.PREVIEW_SESSIONS)
        .inNamespace(namespace)
        .withName(name)
        .delete();
  }

  static String uid(GenericKubernetesResource r) {
    String uid = r.getMetadata().getUid();
    assertThat(uid).as("the API server assigns a uid").isNotBlank();
    return uid;
  }
}
