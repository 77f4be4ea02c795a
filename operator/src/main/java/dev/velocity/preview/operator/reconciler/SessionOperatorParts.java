package dev.velocity.preview.operator.reconciler;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * The collaborators the session controller needs, so it can run against real PostgreSQL and S3
 * (production, local stack) and be built in tests alike.
 *
 * @param snapshots builds or reuses snapshots
 * @param credentials mints tokens and presigns URLs
 * @param activity reads project revisions and agent acks
 * @param podSettings agent image and gateway URL for session pods
 * @param metrics where session and JOSDK metrics go
 * @param clock the operator's clock
 */
public record SessionOperatorParts(
    SnapshotSource snapshots,
    SessionCredentials credentials,
    SessionActivitySource activity,
    SessionPodSettings podSettings,
    PrometheusRegistry metrics,
    Clock clock) {

  /** Checks the fields. */
  public SessionOperatorParts {
    Objects.requireNonNull(snapshots, "snapshots");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(podSettings, "podSettings");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(clock, "clock");
  }
}
