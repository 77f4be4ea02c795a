package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Service in front of the dev server; only when the session exposes a port. */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = PreviewSessionResources.MANAGED_SELECTOR))
public final class SessionServiceDependentResource
    extends CRUDKubernetesDependentResource<Service, PreviewSession> {

  /** Name in the workflow. */
  public static final String NAME = "service";

  public SessionServiceDependentResource() {
    super(Service.class, NAME);
  }

  @Override
  protected Service desired(PreviewSession session, Context<PreviewSession> context) {
    return SessionServiceBuilder.build(session, SessionPodBuilder.port(session.getSpec()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      PreviewSession session, Context<PreviewSession> context) {
    return new ResourceID(
        PreviewSessionResources.serviceName(session), session.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(Service desired, PreviewSession session) {
    // SessionServiceBuilder already sets the controller reference
  }
}
