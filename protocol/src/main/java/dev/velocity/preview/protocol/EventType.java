package dev.velocity.preview.protocol;

/** The SSE event names of the realtime gateway (DESIGN.md §6). */
public final class EventType {
  /** One file written. */
  public static final String FILE_UPDATE = "file:update";

  /** One file deleted (tombstone). */
  public static final String FILE_DELETE = "file:delete";

  /** Several files written or deleted in one revision. */
  public static final String BULK_APPLY = "bulk:apply";

  /** The requested revision is outside the retained log: re-hydrate from a fresh snapshot. */
  public static final String RESYNC = "resync";

  /** The token expired: reconnect with a fresh token and {@code Last-Event-ID}. */
  public static final String REAUTH = "reauth";

  private EventType() {}
}
