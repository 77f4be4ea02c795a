package dev.velocity.preview.operator.reconciler;

import java.time.Instant;

/**
 * What the database says about a session's project and its sync agent.
 *
 * @param projectExists whether the project still exists
 * @param projectRevision the project's current revision (0 when it does not exist)
 * @param lastEditAt when the latest revision was written; null when the project has none
 * @param ackedRevision the latest revision the session's agent acknowledged; null before any ack
 * @param ackedAt when that acknowledgement was recorded; null before any ack
 */
public record SessionActivity(
    boolean projectExists,
    long projectRevision,
    Instant lastEditAt,
    Long ackedRevision,
    Instant ackedAt) {}
