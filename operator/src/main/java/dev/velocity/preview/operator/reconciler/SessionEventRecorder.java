package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Posts {@link SessionEvent}s as core/v1 Events on the session, so {@code kubectl describe pvs}
 * shows its history. Events are posted by one thread of their own, in order, off the
 * reconciliation: a session's Pod must not wait for API writes that only tell its story (the
 * benchmark showed them on the CR → Pod path). Like client-go's recorder, a full queue drops events
 * rather than slowing reconciliations; an event that cannot be posted is logged, never fails a
 * reconciliation.
 */
public final class SessionEventRecorder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionEventRecorder.class);
  private static final String COMPONENT = "preview-operator";
  private static final int MAX_MESSAGE = 1024;

  /** Events waiting to be posted at most (client-go's recorder keeps 1,000). */
  static final int QUEUE_CAPACITY = 1000;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor poster;

  public SessionEventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.poster =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            r -> {
              Thread t = new Thread(r, "session-events");
              t.setDaemon(true);
              return t;
            },
            (task, executor) -> {
              long n = dropped.incrementAndGet();
              if (n == 1 || n % 1000 == 0) {
                log.warn("event queue full: {} session event(s) dropped so far", n);
              }
            });
  }

  /**
   * Queues {@code events} about {@code session} for posting; the event's time and the session's
   * resourceVersion are taken now.
   */
  public void record(PreviewSession session, List<SessionEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectReference involved =
        new ObjectReferenceBuilder()
            .withApiVersion(session.getApiVersion())
            .withKind(session.getKind())
            .withName(session.getMetadata().getName())
            .withNamespace(session.getMetadata().getNamespace())
            .withUid(session.getMetadata().getUid())
            .withResourceVersion(session.getMetadata().getResourceVersion())
            .build();
    for (SessionEvent event : events) {
      Event posted = event(involved, event, now);
      Map<String, String> mdc = MDC.getCopyOfContextMap();
      poster.execute(() -> post(posted, event, mdc));
    }
  }

  /** How many events were dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  private Event event(ObjectReference involved, SessionEvent event, String now) {
    String name =
        involved.getName()
            + "."
            + Long.toHexString(clock.millis())
            + Long.toHexString(sequence.incrementAndGet());
    String message = event.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    return new EventBuilder()
        .withNewMetadata()
        .withName(name.toLowerCase(Locale.ROOT))
        .withNamespace(involved.getNamespace())
        .endMetadata()
        .withInvolvedObject(involved)
        .withType(event.warning() ? "Warning" : "Normal")
        .withReason(event.reason())
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .withHost(instance)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
  }

  private void post(Event posted, SessionEvent event, Map<String, String> mdc) {
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    try {
      client
          .v1()
          .events()
          .inNamespace(posted.getMetadata().getNamespace())
          .resource(posted)
          .create();
    } catch (KubernetesClientException e) {
      log.warn("could not post event {} on session: {}", event.reason(), e.getMessage());
    } finally {
      MDC.clear();
    }
  }

  /** Posts what is queued (waiting up to 5 s), then stops the posting thread. */
  @Override
  public void close() {
    poster.shutdown();
    try {
      if (!poster.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        poster.shutdownNow();
      }
    } catch (InterruptedException e) {
      poster.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
