package dev.velocity.preview.e2e.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet for one machine without containers: it watches every Pod of the API server and runs
 * each as local processes in directories (see {@link PodWorker}, {@link HostMapping}, {@link
 * ImageTable}), reporting back into the Pod's status exactly what a kubelet reports, so that a
 * controller cannot tell it from a node. Secrets and ConfigMaps are watched so projected volumes
 * follow their changes.
 */
public final class ProcessKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessKubelet.class);

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final PortAllocator ports = new PortAllocator();
  private final Prober prober = new Prober();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(4, daemon("kubelet-timer"));
  private final ExecutorService siteExecutor = Executors.newCachedThreadPool(daemon("static-site"));
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final List<ContainerListener> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Secret> secrets;
  private SharedIndexInformer<ConfigMap> configMaps;
  private volatile boolean closed;

  private ProcessKubelet(KubernetesClient client, KubeletConfig config) {
    this.client = client;
    this.config = config;
  }

  /** Starts watching pods in every namespace. */
  public static ProcessKubelet start(KubernetesClient client, KubeletConfig config) {
    ProcessKubelet kubelet = new ProcessKubelet(client, config);
    kubelet.secrets = client.secrets().inAnyNamespace().inform(kubelet.projectionHandler("Secret"));
    kubelet.configMaps =
        client.configMaps().inAnyNamespace().inform(kubelet.projectionHandler("ConfigMap"));
    kubelet.informers.add(kubelet.secrets);
    kubelet.informers.add(kubelet.configMaps);
    kubelet.informers.add(client.pods().inAnyNamespace().inform(kubelet.podHandler()));
    return kubelet;
  }

  /** The configuration this kubelet runs with. */
  public KubeletConfig config() {
    return config;
  }

  /** The running pod of that name, if this kubelet runs one. */
  public Optional<RunningPod> pod(String namespace, String name) {
    return workers.values().stream()
        .filter(w -> namespace.equals(w.pod().getMetadata().getNamespace()))
        .filter(w -> name.equals(w.pod().getMetadata().getName()))
        .findFirst()
        .map(w -> new RunningPod(w.pod(), w.layout(), w.ports()));
  }

  /** Registers a listener for container exits. */
  public void addListener(ContainerListener listener) {
    listeners.add(listener);
  }

  /** Every pod this kubelet runs. */
  public List<RunningPod> pods() {
    return workers.values().stream()
        .map(w -> new RunningPod(w.pod(), w.layout(), w.ports()))
        .toList();
  }

  /**
   * Waits until this kubelet no longer runs a pod of that name: its processes are gone and its
   * directories cleaned up.
   *
   * @throws IllegalStateException after {@code timeout}
   */
  public void awaitGone(String namespace, String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pod(namespace, name).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "pod " + namespace + "/" + name + " still runs after " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Kills a container's process tree at once, as a crash would; the kubelet restarts it. */
  public void killContainer(String namespace, String pod, String container) {
    worker(namespace, pod).post(new PodEvent.Kill(container));
  }

  /** The live processes of one pod (empty when this kubelet does not run it). */
  public List<ProcessHandle> processes(String namespace, String pod) {
    return workers.values().stream()
        .filter(w -> namespace.equals(w.pod().getMetadata().getNamespace()))
        .filter(w -> pod.equals(w.pod().getMetadata().getName()))
        .flatMap(w -> w.processes().stream())
        .toList();
  }

  /** Every live process this kubelet started (for leak checks). */
  public List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    workers.values().forEach(w -> all.addAll(w.processes()));
    return all;
  }

  private PodWorker worker(String namespace, String pod) {
    return workers.values().stream()
        .filter(w -> namespace.equals(w.pod().getMetadata().getNamespace()))
        .filter(w -> pod.equals(w.pod().getMetadata().getName()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no pod " + namespace + "/" + pod));
  }

  private ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        admit(pod);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        if (newPod.getMetadata().getDeletionTimestamp() != null) {
          stop(newPod);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        stop(pod);
      }
    };
  }

  private void admit(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (closed
        || pod.getMetadata().getDeletionTimestamp() != null
        || "Succeeded".equals(phase)
        || "Failed".equals(phase)) {
      return;
    }
    workers.computeIfAbsent(
        pod.getMetadata().getUid(),
        uid -> {
          PodWorker w =
              new PodWorker(
                  pod,
                  config,
                  objects(),
                  ports,
                  prober,
                  timers,
                  siteExecutor,
                  this::writeStatus,
                  (ns, p, c, ran, code) -> listeners.forEach(l -> l.exited(ns, p, c, ran, code)));
          Thread t =
              new Thread(
                  w, "pod-" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
          t.setDaemon(true);
          t.start();
          LOG.debug(
              "admitted pod {}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
          return w;
        });
  }

  private void stop(Pod pod) {
    PodWorker w = workers.get(pod.getMetadata().getUid());
    if (w != null) {
      w.post(new PodEvent.Stop());
      w.finished().whenComplete((v, e) -> workers.remove(pod.getMetadata().getUid(), w));
    }
  }

  private <T extends HasMetadata> ResourceEventHandler<T> projectionHandler(String kind) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        notifyWorkers(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        notifyWorkers(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}

      private void notifyWorkers(T obj) {
        String ns = obj.getMetadata().getNamespace();
        for (PodWorker w : workers.values()) {
          if (ns.equals(w.pod().getMetadata().getNamespace())) {
            w.post(new PodEvent.Refresh(kind, obj.getMetadata().getName()));
          }
        }
      }
    };
  }

  private ClusterObjects objects() {
    return new ClusterObjects() {
      @Override
      public Optional<Secret> secret(String namespace, String name) {
        Secret cached = secrets.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
        if (cached != null) {
          return Optional.of(cached);
        }
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
      }

      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        ConfigMap cached = configMaps.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
        if (cached != null) {
          return Optional.of(cached);
        }
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
      }
    };
  }

  private void writeStatus(Pod pod, PodStatus status) {
    if (closed) {
      return;
    }
    String patch =
        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + Serialization.asJson(status) + "}]";
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .status()
          .patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("status of pod {} not written: {}", pod.getMetadata().getName(), e.getMessage());
      }
    }
  }

  /** Stops every pod (processes killed, directories removed unless kept) and the watches. */
  @Override
  public void close() {
    closed = true;
    informers.forEach(SharedIndexInformer::close);
    List<PodWorker> all = new ArrayList<>(workers.values());
    all.forEach(w -> w.post(new PodEvent.Stop()));
    for (PodWorker w : all) {
      try {
        w.finished()
            .get(
                config.maxTerminationGrace().plus(Duration.ofSeconds(10)).toMillis(),
                TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("pod {} did not stop cleanly: {}", w.pod().getMetadata().getName(), e.toString());
      }
    }
    workers.clear();
    timers.shutdownNow();
    siteExecutor.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
