package dev.velocity.preview.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Creates the workflow's dependents with their collaborators (JOSDK would call no-argument
 * constructors), then lets JOSDK configure them from their annotations as usual.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class SessionDependentFactory implements DependentResourceFactory {

  private final Map<Class<?>, Supplier<DependentResource>> suppliers;

  SessionDependentFactory(Map<Class<?>, Supplier<DependentResource>> suppliers) {
    this.suppliers = Map.copyOf(suppliers);
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec spec, ControllerConfiguration configuration) {
    Supplier<DependentResource> supplier = suppliers.get(spec.getDependentResourceClass());
    if (supplier == null) {
      return DependentResourceFactory.DEFAULT.createFrom(spec, configuration);
    }
    DependentResource dependent = supplier.get();
    configure(dependent, spec, configuration);
    return dependent;
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec spec) {
    Supplier<DependentResource> supplier = suppliers.get(spec.getDependentResourceClass());
    return supplier == null
        ? DependentResourceFactory.DEFAULT.associatedResourceType(spec)
        : supplier.get().resourceType();
  }
}
