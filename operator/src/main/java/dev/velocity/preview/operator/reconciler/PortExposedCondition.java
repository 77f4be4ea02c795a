package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Holds when the session's dev server exposes a port ({@code spec.port > 0}). */
public final class PortExposedCondition implements Condition<Object, PreviewSession> {

  @Override
  public boolean isMet(
      DependentResource<Object, PreviewSession> dependentResource,
      PreviewSession session,
      Context<PreviewSession> context) {
    return SessionPodBuilder.port(session.getSpec()) > 0;
  }
}
