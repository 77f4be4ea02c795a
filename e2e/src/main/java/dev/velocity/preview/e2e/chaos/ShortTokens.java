package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.operator.reconciler.PreviewSessionResources;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The short-token fault: the stack runs with {@code TOKEN_TTL_SECONDS} at its minimum, so the
 * operator replaces every session token after two thirds of its life and the gateway ends streams
 * with {@code reauth} when a token expires. This watches the session Secrets to count the tokens
 * replaced and to tell when the first token of the trial expires.
 */
final class ShortTokens implements AutoCloseable {
  /** The shortest lifetime the operator accepts ({@code TokenConfig}). */
  static final int TTL_SECONDS = 60;

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Set<String>> tokenIds = new HashMap<>();
  private final Map<String, Instant> expiries = new HashMap<>();
  private Instant firstExpiry;
  private final Thread thread;
  private volatile boolean running = true;

  private ShortTokens(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.thread = new Thread(this::run, "chaos-token-watch");
    thread.setDaemon(true);
  }

  /** The operator environment for short tokens. */
  static Map<String, String> env() {
    return Map.of("TOKEN_TTL_SECONDS", Integer.toString(TTL_SECONDS));
  }

  /** Starts watching the session Secrets of {@code namespace} (polling once a second). */
  static ShortTokens watch(KubernetesClient client, String namespace) {
    ShortTokens t = new ShortTokens(client, namespace);
    t.poll();
    t.thread.start();
    return t;
  }

  /** Tokens the operator replaced (rotation) since the watch started. */
  synchronized int rotations() {
    return tokenIds.values().stream().mapToInt(s -> Math.max(0, s.size() - 1)).sum();
  }

  /** Tokens seen whose expiry passed while the trial ran (each one ends a stream: reauth). */
  synchronized int expiredDuringTrial() {
    Instant now = Instant.now();
    return (int) expiries.values().stream().filter(at -> at.isBefore(now)).count();
  }

  /** When the earliest token seen expires. */
  synchronized Optional<Instant> firstExpiry() {
    return Optional.ofNullable(firstExpiry);
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(1000);
        poll();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the API server is briefly unreachable: look again next second
      }
    }
  }

  private synchronized void poll() {
    for (Secret s : client.secrets().inNamespace(namespace).list().getItems()) {
      Map<String, String> a = s.getMetadata().getAnnotations();
      if (a == null || !a.containsKey(PreviewSessionResources.TOKEN_ID_ANNOTATION)) {
        continue;
      }
      String id = a.get(PreviewSessionResources.TOKEN_ID_ANNOTATION);
      tokenIds.computeIfAbsent(s.getMetadata().getName(), k -> new HashSet<>()).add(id);
      String exp = a.get(PreviewSessionResources.TOKEN_EXPIRES_AT_ANNOTATION);
      if (exp != null) {
        Instant at = Instant.parse(exp);
        if (firstExpiry == null || at.isBefore(firstExpiry)) {
          firstExpiry = at;
        }
        expiries.put(id, at);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    poll();
  }
}
