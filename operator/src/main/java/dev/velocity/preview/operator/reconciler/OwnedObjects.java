package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** Metadata shared by every object a session owns: name, labels, controller reference. */
final class OwnedObjects {

  private OwnedObjects() {}

  /** Metadata for an object named {@code name} owned (and garbage-collected) by {@code session}. */
  static ObjectMeta metadata(PreviewSession session, String name, Map<String, String> annotations) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(session.getMetadata().getNamespace())
        .withLabels(PreviewSessionResources.labels(session))
        .withAnnotations(annotations)
        .withOwnerReferences(ownerReference(session))
        .build();
  }

  /**
   * The controller reference to {@code session}; Kubernetes deletes the object with the session, so
   * no finalizer is needed.
   */
  static OwnerReference ownerReference(PreviewSession session) {
    return new OwnerReferenceBuilder()
        .withApiVersion(session.getApiVersion())
        .withKind(session.getKind())
        .withName(session.getMetadata().getName())
        .withUid(session.getMetadata().getUid())
        .withController(true)
        .build();
  }
}
