package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Holds while the session has not expired. When it stops holding, the workflow deletes the session
 * Secret and everything that depends on it (pod, Service); the resource itself stays.
 */
public final class SessionActiveCondition implements Condition<Object, PreviewSession> {

  @Override
  public boolean isMet(
      DependentResource<Object, PreviewSession> dependentResource,
      PreviewSession session,
      Context<PreviewSession> context) {
    return !SessionContext.of(context).expiry().expired();
  }
}
