package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.e2e.kubelet.RunningPod;
import dev.velocity.preview.e2e.stack.LocalStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * What faults act on: the running stack, the trial's namespace and its sessions (in a fixed order,
 * so a seeded choice picks the same session every run), the count of streams the gateway ended with
 * {@code reauth}, and a way to make the workload rewrite a project's 5 MiB file now.
 */
record ChaosTarget(
    LocalStack stack,
    String namespace,
    List<ChaosSession> sessions,
    GatewayStreamsClosed reauths,
    IntConsumer bigWrite) {
  ChaosTarget {
    sessions = List.copyOf(sessions);
  }

  /** A session picked by {@code random}. */
  ChaosSession pick(Random random) {
    return sessions.get(random.nextInt(sessions.size()));
  }

  /** The session resource now. */
  Optional<PreviewSession> resource(ChaosSession s) {
    return Optional.ofNullable(
        stack
            .client()
            .resources(PreviewSession.class)
            .inNamespace(namespace)
            .withName(s.name())
            .get());
  }

  /** The name of the session's pod as its status says, if it has one. */
  Optional<String> podName(ChaosSession s) {
    return resource(s).map(PreviewSession::getStatus).map(st -> st.getPodName());
  }

  /** The session's pod as the kubelet runs it now. */
  Optional<RunningPod> pod(ChaosSession s) {
    return podName(s).flatMap(p -> stack.kubelet().pod(namespace, p));
  }

  /** The session's workspace directory now (it moves when the pod is recreated). */
  Optional<Path> workspace(ChaosSession s) {
    return pod(s).flatMap(p -> p.hostPath("sync", "/workspace"));
  }
}
