package dev.velocity.preview.operator.reconciler;

/**
 * A Kubernetes Event about a session.
 *
 * @param warning whether it reports a failure (type Warning) rather than progress (Normal)
 * @param reason CamelCase reason
 * @param message one line for a person
 */
public record SessionEvent(boolean warning, String reason, String message) {}
