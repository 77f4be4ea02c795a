package dev.velocity.preview.protocol;

/** The body of {@code POST /v1/projects/{id}/acks}: the revision applied to disk. */
public record Ack(long revision) {}
