package dev.velocity.preview.operator.realtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A {@link SessionRegistry} fed by an informer on {@code PreviewSession} objects ({@code
 * preview.velocity.dev/v1alpha1}, read as generic resources so the gateway does not depend on the
 * CRD classes). A session is live while its object exists, is not being deleted and its phase is
 * not {@code Expired}; when that stops being true the listeners hear of it at once (a watch event,
 * well within the 5 s the design allows).
 *
 * <p>A session the informer has never seen is not live: tokens are minted only after the object
 * exists, and a gateway started later lists every existing object before it serves.
 */
public final class KubernetesSessionRegistry implements SessionRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSessionRegistry.class);

  /** The PreviewSession resource. */
  public static final ResourceDefinitionContext PREVIEW_SESSIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("preview.velocity.dev")
          .withVersion("v1alpha1")
          .withPlural("previewsessions")
          .withKind("PreviewSession")
          .withNamespaced(true)
          .build();

  private static final String EXPIRED = "Expired";

  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

  private KubernetesSessionRegistry() {}

  /**
   * Starts watching PreviewSessions in {@code namespaces} (all namespaces when empty) and returns
   * once every informer has listed its objects.
   *
   * @throws IllegalStateException when the initial list does not complete within {@code timeout}
   */
  public static KubernetesSessionRegistry start(
      KubernetesClient client, Collection<String> namespaces, Duration timeout) {
    KubernetesSessionRegistry registry = new KubernetesSessionRegistry();
    var resources = client.genericKubernetesResources(PREVIEW_SESSIONS);
    if (namespaces.isEmpty()) {
      registry.informers.add(resources.inAnyNamespace().runnableInformer(0));
    } else {
      for (String namespace : namespaces) {
        registry.informers.add(resources.inNamespace(namespace).runnableInformer(0));
      }
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : registry.informers) {
      informer.addEventHandler(registry.new Handler());
      try {
        informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        registry.close();
        throw new IllegalStateException("interrupted while listing PreviewSessions", e);
      } catch (ExecutionException | TimeoutException e) {
        registry.close();
        throw new IllegalStateException(
            "could not list and watch PreviewSessions ("
                + PREVIEW_SESSIONS.getPlural()
                + "."
                + PREVIEW_SESSIONS.getGroup()
                + "): "
                + e,
            e);
      }
    }
    return registry;
  }

  @Override
  public boolean isLive(String sessionUid) {
    return live.contains(sessionUid);
  }

  @Override
  public void onRevoked(Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }

  private void seen(GenericKubernetesResource session) {
    String uid = session.getMetadata() == null ? null : session.getMetadata().getUid();
    if (uid == null) {
      return;
    }
    if (session.getMetadata().getDeletionTimestamp() != null || EXPIRED.equals(phase(session))) {
      revoke(session, uid);
    } else {
      live.add(uid);
    }
  }

  private void revoke(GenericKubernetesResource session, String uid) {
    if (live.remove(uid)) {
      String name = session.getMetadata().getNamespace() + "/" + session.getMetadata().getName();
      try (MDC.MDCCloseable s = MDC.putCloseable("session_id", name)) {
        LOG.info("session {} revoked: its streams are closed", name);
      }
      listeners.forEach(l -> l.accept(uid));
    }
  }

  private static String phase(GenericKubernetesResource session) {
    Object status = session.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> map && map.get("phase") instanceof String phase) {
      return phase;
    }
    return null;
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource session) {
      seen(session);
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource session) {
      seen(session);
    }

    @Override
    public void onDelete(GenericKubernetesResource session, boolean deletedFinalStateUnknown) {
      if (session.getMetadata() != null && session.getMetadata().getUid() != null) {
        revoke(session, session.getMetadata().getUid());
      }
    }
  }
}
