package dev.velocity.preview.agent.sync;

/**
 * One dispatched server-sent event.
 *
 * @param id the last {@code id:} field seen (null when none)
 * @param type the {@code event:} field ({@code message} when absent)
 * @param data the {@code data:} lines joined by {@code \n}, as UTF-8 bytes
 * @param receivedNanos {@link System#nanoTime()} when the event's last line arrived
 */
public record SseEvent(String id, String type, byte[] data, long receivedNanos) {}
