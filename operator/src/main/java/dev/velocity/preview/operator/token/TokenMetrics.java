package dev.velocity.preview.operator.token;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;

/** Token counters, registered once per registry and shared by every minter and verifier. */
public final class TokenMetrics {
  private static final Map<PrometheusRegistry, TokenMetrics> BY_REGISTRY = new WeakHashMap<>();

  final Counter minted;
  final Counter rejected;

  private TokenMetrics(PrometheusRegistry registry) {
    minted =
        Counter.builder()
            .name("preview_tokens_minted_total")
            .help("Session tokens minted")
            .register(registry);
    rejected =
        Counter.builder()
            .name("preview_tokens_rejected_total")
            .help("Session tokens refused by the verifier, by reason")
            .labelNames("reason")
            .register(registry);
  }

  /** The token metrics of {@code registry}, registering them on first use. */
  public static synchronized TokenMetrics of(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, TokenMetrics::new);
  }

  /** The token metrics of the default registry. */
  public static TokenMetrics defaults() {
    return of(PrometheusRegistry.defaultRegistry);
  }
}
