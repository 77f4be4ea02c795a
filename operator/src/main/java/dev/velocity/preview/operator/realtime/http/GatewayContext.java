package dev.velocity.preview.operator.realtime.http;

import dev.velocity.preview.operator.realtime.AckWriter;
import dev.velocity.preview.operator.realtime.GatewayConfig;
import dev.velocity.preview.operator.realtime.GatewayMetrics;
import dev.velocity.preview.operator.realtime.ServiceSnapshotProvider;
import dev.velocity.preview.operator.realtime.SessionRegistry;
import dev.velocity.preview.operator.realtime.SnapshotProvider;
import dev.velocity.preview.operator.realtime.feed.ChangeLog;
import dev.velocity.preview.operator.realtime.feed.ProjectFeeds;
import dev.velocity.preview.operator.token.TokenVerifier;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * What the HTTP handlers share: configuration, the token verifier, the session registry, the
 * database parts, the optional snapshot providers, metrics, worker executors and readiness.
 *
 * @param database executor for blocking database work (replay reads, project lookups, acks)
 * @param snapshotWork executor for snapshot builds (slow; kept apart from database reads)
 * @param ready true while the LISTEN connection is up
 */
public record GatewayContext(
    GatewayConfig config,
    TokenVerifier verifier,
    SessionRegistry sessions,
    ChangeLog changeLog,
    ProjectFeeds feeds,
    AckWriter acks,
    Optional<SnapshotProvider> snapshots,
    Optional<ServiceSnapshotProvider> serviceSnapshots,
    GatewayMetrics metrics,
    Executor database,
    Executor snapshotWork,
    BooleanSupplier ready) {}
