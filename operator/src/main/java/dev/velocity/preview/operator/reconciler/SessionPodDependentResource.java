package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session pod. A pod's spec cannot be updated in place, so a spec change (a different spec
 * hash) deletes the pod; the deletion's event brings the next reconciliation, which creates the new
 * pod under the same name once the old one is gone. Status changes never touch the pod.
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = PreviewSessionResources.MANAGED_SELECTOR))
public final class SessionPodDependentResource
    extends KubernetesDependentResource<Pod, PreviewSession>
    implements Creator<Pod, PreviewSession>, GarbageCollected<PreviewSession> {

  /** Name in the workflow. */
  public static final String NAME = "pod";

  private static final Logger log = LoggerFactory.getLogger(SessionPodDependentResource.class);

  private final SessionPodBuilder builder;
  private final SessionMetrics metrics;

  public SessionPodDependentResource(SessionPodBuilder builder, SessionMetrics metrics) {
    super(Pod.class, NAME);
    this.builder = builder;
    this.metrics = metrics;
  }

  @Override
  public Pod create(Pod desired, PreviewSession session, Context<PreviewSession> context) {
    Pod created = super.create(desired, session, context);
    metrics.podCreated(SessionContext.of(context).elapsed());
    return created;
  }

  @Override
  protected Pod desired(PreviewSession session, Context<PreviewSession> context) {
    return builder.build(session, SessionContext.of(context).requireSnapshot());
  }

  @Override
  protected ReconcileResult<Pod> reconcile(
      PreviewSession session, Pod actual, Context<PreviewSession> context) {
    if (actual == null) {
      return super.reconcile(session, null, context);
    }
    if (actual.getMetadata().getDeletionTimestamp() != null) {
      return ReconcileResult.noOperation(actual);
    }
    String wanted = hash(desired(session, context));
    if (!Objects.equals(wanted, hash(actual))) {
      log.info(
          "pod {} has spec hash {}, wanted {}: replacing it",
          actual.getMetadata().getName(),
          hash(actual),
          wanted);
      context.getClient().resource(actual).delete();
    }
    return ReconcileResult.noOperation(actual);
  }

  private static String hash(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null
        ? null
        : annotations.get(PreviewSessionResources.SPEC_HASH_ANNOTATION);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      PreviewSession session, Context<PreviewSession> context) {
    return new ResourceID(
        PreviewSessionResources.podName(session), session.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(Pod desired, PreviewSession session) {
    // SessionPodBuilder already sets the controller reference
  }
}
