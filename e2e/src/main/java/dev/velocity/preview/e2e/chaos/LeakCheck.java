package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.e2e.kubelet.RunningPod;
import dev.velocity.preview.e2e.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts what the trial left running: objects in the namespace (pods, services, Secrets) against
 * the sessions, pods the kubelet runs, processes per pod against their count before the faults, and
 * orphans (processes this JVM started under the stack's directory that no pod owns).
 */
final class LeakCheck {
  private LeakCheck() {}

  /** Live processes of each running pod of {@code namespace} (pod name → count). */
  static Map<String, Integer> processesPerPod(LocalStack stack, String namespace) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (RunningPod p : stack.kubelet().pods()) {
      if (namespace.equals(p.pod().getMetadata().getNamespace())) {
        String name = p.pod().getMetadata().getName();
        out.put(name, stack.kubelet().processes(namespace, name).size());
      }
    }
    return out;
  }

  /**
   * What is wrong now; empty when nothing leaked.
   *
   * @param sessions sessions that should exist ({@code 0} after they were all deleted)
   * @param baseline processes per pod when every session first ran
   */
  static List<String> findings(
      LocalStack stack, String namespace, int sessions, Map<String, Integer> baseline) {
    List<String> out = new ArrayList<>();
    var client = stack.client();
    count(out, "pods", client.pods().inNamespace(namespace).list().getItems().size(), sessions);
    count(
        out,
        "services",
        client.services().inNamespace(namespace).list().getItems().size(),
        sessions);
    count(
        out, "secrets", client.secrets().inNamespace(namespace).list().getItems().size(), sessions);
    Map<String, Integer> now = processesPerPod(stack, namespace);
    count(out, "pods run by the kubelet", now.size(), sessions);
    int perPod = baseline.values().stream().findFirst().orElse(0);
    now.forEach(
        (pod, n) -> {
          if (sessions > 0 && n != perPod) {
            out.add("pod " + pod + " has " + n + " processes, expected " + perPod);
          }
        });
    List<Long> orphans = orphans(stack);
    if (!orphans.isEmpty()) {
      out.add("orphan processes (no pod owns them): " + orphans);
    }
    return out;
  }

  private static void count(List<String> out, String what, int actual, int expected) {
    if (actual != expected) {
      out.add(what + ": " + actual + ", expected " + expected);
    }
  }

  /** Processes under the kubelet's directory that are not a pod's container (or its child). */
  static List<Long> orphans(LocalStack stack) {
    Set<Long> owned = new HashSet<>();
    for (ProcessHandle h : stack.kubelet().processes()) {
      owned.add(h.pid());
      h.descendants().forEach(d -> owned.add(d.pid()));
    }
    // pods' directories: PostgreSQL's processes live under the stack's directory too
    Path dir = stack.kubelet().config().root().toAbsolutePath();
    List<Long> out = new ArrayList<>();
    ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(h -> !owned.contains(h.pid()))
        .filter(h -> cwdUnder(h.pid(), dir))
        .forEach(h -> out.add(h.pid()));
    return out;
  }

  private static boolean cwdUnder(long pid, Path dir) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).startsWith(dir);
    } catch (IOException | UnsupportedOperationException e) {
      return false; // exited meanwhile, or not Linux
    }
  }
}
