package dev.velocity.preview.e2e.session;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** Creating, reading, waiting for and deleting PreviewSessions, as an orchestrator would. */
public final class Sessions {
  /** The dev-server image the demo and tests use (the kubelet serves it with its static site). */
  public static final String DEV_SERVER_IMAGE = "node:20-alpine";

  private final KubernetesClient client;
  private final String namespace;

  public Sessions(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** A session spec for {@code project} with the demo's dev server on port 3000. */
  public static PreviewSessionSpec spec(UUID project) {
    PreviewSessionSpec spec = new PreviewSessionSpec();
    spec.setProjectId(project.toString());
    spec.setImage(DEV_SERVER_IMAGE);
    spec.setCommand(java.util.List.of("npm", "run", "dev"));
    spec.setPort(3000);
    return spec;
  }

  /** Creates session {@code name} with {@code spec}. */
  public PreviewSession create(String name, PreviewSessionSpec spec) {
    PreviewSession session = new PreviewSession();
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    session.setSpec(spec);
    return client.resource(session).create();
  }

  /** The session as stored now. */
  public Optional<PreviewSession> get(String name) {
    return Optional.ofNullable(
        client.resources(PreviewSession.class).inNamespace(namespace).withName(name).get());
  }

  /** The session's phase now, if it has one. */
  public Optional<SessionPhase> phase(String name) {
    return get(name).map(PreviewSession::getStatus).map(s -> s.getPhase());
  }

  /** Waits until {@code test} holds for the session (polling every 20 ms). */
  public PreviewSession await(String name, Predicate<PreviewSession> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    PreviewSession last = null;
    while (System.nanoTime() < deadline) {
      last = get(name).orElse(null);
      if (last != null && test.test(last)) {
        return last;
      }
      sleep(20);
    }
    throw new IllegalStateException(
        "session "
            + name
            + " did not get there within "
            + timeout
            + "; last status: "
            + (last == null ? "absent" : describe(last)));
  }

  /** Waits for phase {@code phase}. */
  public PreviewSession awaitPhase(String name, SessionPhase phase, Duration timeout) {
    return await(name, s -> s.getStatus() != null && s.getStatus().getPhase() == phase, timeout);
  }

  /** Deletes the session (its pod, Secret and Service follow through owner references). */
  public void delete(String name) {
    client.resources(PreviewSession.class).inNamespace(namespace).withName(name).delete();
  }

  /** One line describing the status: phase, message and conditions. */
  public static String describe(PreviewSession s) {
    if (s.getStatus() == null) {
      return "no status yet";
    }
    StringBuilder sb = new StringBuilder(String.valueOf(s.getStatus().getPhase()));
    if (s.getStatus().getMessage() != null) {
      sb.append(" (").append(s.getStatus().getMessage()).append(')');
    }
    s.getStatus()
        .getConditions()
        .forEach(c -> sb.append(' ').append(c.getType()).append('=').append(c.getStatus()));
    return sb.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
