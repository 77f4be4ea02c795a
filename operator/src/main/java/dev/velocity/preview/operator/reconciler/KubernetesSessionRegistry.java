package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.operator.realtime.SessionRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sessions may stream, from the PreviewSessions themselves: a session is live while its
 * resource exists and has not expired. Deleting or expiring a session revokes it at once, so the
 * gateway closes its streams even though its token is still valid.
 */
public final class KubernetesSessionRegistry implements SessionRegistry {

  private static final Logger log = LoggerFactory.getLogger(KubernetesSessionRegistry.class);

  private final List<SharedIndexInformer<PreviewSession>> informers = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** Watches PreviewSessions in {@code namespaces} (empty: all) and waits for the first list. */
  public KubernetesSessionRegistry(KubernetesClient client, Set<String> namespaces) {
    var resources = client.resources(PreviewSession.class);
    if (namespaces.isEmpty()) {
      informers.add(resources.inAnyNamespace().inform(new Handler()));
    } else {
      for (String namespace : namespaces) {
        informers.add(resources.inNamespace(namespace).inform(new Handler()));
      }
    }
  }

  @Override
  public boolean isLive(String sessionUid) {
    for (SharedIndexInformer<PreviewSession> informer : informers) {
      for (PreviewSession session : informer.getStore().list()) {
        if (sessionUid.equals(session.getMetadata().getUid())) {
          return live(session);
        }
      }
    }
    return false;
  }

  @Override
  public void onRevoked(Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private static boolean live(PreviewSession session) {
    return session.getMetadata().getDeletionTimestamp() == null
        && (session.getStatus() == null || session.getStatus().getPhase() != SessionPhase.Expired);
  }

  private void revoke(PreviewSession session) {
    String uid = session.getMetadata().getUid();
    log.info(
        "session {}/{} revoked",
        session.getMetadata().getNamespace(),
        session.getMetadata().getName());
    for (Consumer<String> listener : listeners) {
      listener.accept(uid);
    }
  }

  private final class Handler implements ResourceEventHandler<PreviewSession> {
    @Override
    public void onAdd(PreviewSession session) {
      // new sessions are live; nothing to tell
    }

    @Override
    public void onUpdate(PreviewSession before, PreviewSession after) {
      if (live(before) && !live(after)) {
        revoke(after);
      }
    }

    @Override
    public void onDelete(PreviewSession session, boolean finalStateUnknown) {
      revoke(session);
    }
  }
}
