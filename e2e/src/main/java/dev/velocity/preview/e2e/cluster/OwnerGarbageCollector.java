package dev.velocity.preview.e2e.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of kube-controller-manager the mock API server lacks: deletes an object once none of its
 * {@code ownerReferences} exists any more (background cascading deletion), so that deleting a
 * PreviewSession removes its Pod, Secret and Service exactly as in a real cluster.
 *
 * <p>It watches the dependent kinds (Pods, Secrets, Services, ConfigMaps), starts an informer for
 * every owner kind it sees referenced, and on an owner's deletion deletes its dependents. A sweep
 * every few seconds catches whatever a watch missed.
 */
public final class OwnerGarbageCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerGarbageCollector.class);

  private final KubernetesClient client;
  private final List<SharedIndexInformer<? extends HasMetadata>> dependents =
      new CopyOnWriteArrayList<>();
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> owners =
      new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "owner-gc");
            t.setDaemon(true);
            return t;
          });

  private OwnerGarbageCollector(KubernetesClient client) {
    this.client = client;
  }

  /** Starts collecting in every namespace. */
  public static OwnerGarbageCollector start(KubernetesClient client, long sweepMillis) {
    OwnerGarbageCollector gc = new OwnerGarbageCollector(client);
    gc.dependents.add(client.pods().inAnyNamespace().inform(gc.dependentHandler()));
    gc.dependents.add(client.secrets().inAnyNamespace().inform(gc.dependentHandler()));
    gc.dependents.add(client.services().inAnyNamespace().inform(gc.dependentHandler()));
    gc.dependents.add(client.configMaps().inAnyNamespace().inform(gc.dependentHandler()));
    gc.sweeper.scheduleWithFixedDelay(gc::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    return gc;
  }

  private <T extends HasMetadata> ResourceEventHandler<T> dependentHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        watchOwnersOf(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        watchOwnersOf(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  private void watchOwnersOf(HasMetadata obj) {
    for (OwnerReference ref : obj.getMetadata().getOwnerReferences()) {
      String key = ref.getApiVersion() + "/" + ref.getKind();
      owners.computeIfAbsent(
          key,
          k ->
              client
                  .genericKubernetesResources(ref.getApiVersion(), ref.getKind())
                  .inAnyNamespace()
                  .inform(
                      new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(GenericKubernetesResource owner) {}

                        @Override
                        public void onUpdate(
                            GenericKubernetesResource o, GenericKubernetesResource n) {}

                        @Override
                        public void onDelete(GenericKubernetesResource owner, boolean unknown) {
                          sweeper.execute(() -> collect(Set.of(owner.getMetadata().getUid())));
                        }
                      }));
    }
  }

  /** Deletes the dependents of the given (deleted) owner uids. */
  private void collect(Set<String> deletedOwnerUids) {
    for (HasMetadata obj : dependentsSnapshot()) {
      List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
      if (refs.isEmpty()) {
        continue;
      }
      boolean touched = refs.stream().anyMatch(r -> deletedOwnerUids.contains(r.getUid()));
      if (touched && refs.stream().noneMatch(r -> ownerExists(obj, r))) {
        delete(obj);
      }
    }
  }

  private void sweep() {
    try {
      for (HasMetadata obj : dependentsSnapshot()) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (!refs.isEmpty() && refs.stream().noneMatch(r -> ownerExists(obj, r))) {
          delete(obj);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("owner garbage collection sweep failed: {}", e.toString());
    }
  }

  private List<HasMetadata> dependentsSnapshot() {
    List<HasMetadata> all = new ArrayList<>();
    dependents.forEach(i -> all.addAll(i.getStore().list()));
    return all;
  }

  private boolean ownerExists(HasMetadata dependent, OwnerReference ref) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        owners.get(ref.getApiVersion() + "/" + ref.getKind());
    if (informer != null
        && informer.getStore().list().stream()
            .anyMatch(o -> ref.getUid().equals(o.getMetadata().getUid()))) {
      return true;
    }
    // the cache may lag behind a just-created owner: ask the API server before deleting anything
    try {
      GenericKubernetesResource owner =
          client
              .genericKubernetesResources(ref.getApiVersion(), ref.getKind())
              .inNamespace(dependent.getMetadata().getNamespace())
              .withName(ref.getName())
              .get();
      return owner != null && ref.getUid().equals(owner.getMetadata().getUid());
    } catch (KubernetesClientException e) {
      return true; // unknown: keep the dependent, the next sweep decides
    }
  }

  private void delete(HasMetadata obj) {
    LOG.debug(
        "collecting {} {}/{}: its owners are gone",
        obj.getKind(),
        obj.getMetadata().getNamespace(),
        obj.getMetadata().getName());
    try {
      client.resource(obj).delete();
    } catch (KubernetesClientException e) {
      LOG.debug("garbage collection of {} failed: {}", obj.getMetadata().getName(), e.toString());
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    dependents.forEach(SharedIndexInformer::close);
    owners.values().forEach(SharedIndexInformer::close);
  }
}
