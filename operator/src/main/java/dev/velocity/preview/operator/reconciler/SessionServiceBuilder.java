package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/** Builds the ClusterIP Service in front of a session's dev server. */
public final class SessionServiceBuilder {

  private SessionServiceBuilder() {}

  /** The Service of {@code session}, whose dev server listens on {@code port} (> 0). */
  public static Service build(PreviewSession session, int port) {
    return new ServiceBuilder()
        .withMetadata(
            OwnedObjects.metadata(session, PreviewSessionResources.serviceName(session), Map.of()))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(PreviewSessionResources.selector(session))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(port)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }
}
