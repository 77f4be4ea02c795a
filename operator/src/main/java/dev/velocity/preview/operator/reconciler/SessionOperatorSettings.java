package dev.velocity.preview.operator.reconciler;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the session controller runs.
 *
 * @param namespaces namespaces to watch; empty = all
 * @param leaseNamespace namespace of the leader-election Lease; empty = no leader election
 * @param identity this replica's identity in the Lease
 * @param exitOnLostLease whether losing the Lease ends the process (production) or only stops
 *     reconciling (in-process use)
 * @param resync how often a live session is looked at without events
 * @param reconcileThreads concurrent reconciliations
 */
public record SessionOperatorSettings(
    Set<String> namespaces,
    Optional<String> leaseNamespace,
    String identity,
    boolean exitOnLostLease,
    Duration resync,
    int reconcileThreads) {

  /** Name of the leader-election Lease. */
  public static final String LEASE_NAME = "preview-operator-leader";

  /** Checks the fields. */
  public SessionOperatorSettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(resync, "resync");
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("reconcileThreads must be positive");
    }
  }
}
