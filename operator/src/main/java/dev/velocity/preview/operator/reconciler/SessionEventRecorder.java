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
import java.util.ArrayList;
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
 * shows its history. Events are posted off the reconciliation, by a few threads of their own (a
 * session's events always by the same one, so in order): a session's Pod must not wait for API
 * writes that only tell its story (the benchmark showed them on the CR → Pod path). Like
 * client-go's recorder, a full queue drops events (counted in {@code
 * preview_session_events_dropped_total}) rather than slowing reconciliations; an event that cannot
 * be posted is logged, never fails a reconciliation.
 */
public final class SessionEventRecorder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionEventRecorder.class);
  private static final String COMPONENT = "preview-operator";
  private static final int MAX_MESSAGE = 1024;

  /** Threads posting events; a session's events all go to one. */
  static final int POSTERS = 4;

  /** Events waiting per posting thread at most (1,000 in all, as client-go's recorder). */
  static final int QUEUE_PER_POSTER = 250;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final SessionMetrics metrics;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final List<ThreadPoolExecutor> posters = new ArrayList<>();

  public SessionEventRecorder(
      KubernetesClient client, Clock clock, String instance, SessionMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.metrics = metrics;
    for (int i = 0; i < POSTERS; i++) {
      String name = "session-events-" + i;
      posters.add(
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(QUEUE_PER_POSTER),
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              },
              (task, executor) -> drop()));
    }
  }

  private void drop() {
    metrics.eventDropped();
    long n = dropped.incrementAndGet();
    if (n == 1 || n % 1000 == 0) {
      log.warn("event queue full: {} session event(s) dropped so far", n);
    }
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
      poster(involved.getUid()).execute(() -> post(posted, event, mdc));
    }
  }

  private ThreadPoolExecutor poster(String sessionUid) {
    return posters.get(Math.floorMod(String.valueOf(sessionUid).hashCode(), POSTERS));
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

  /** Posts what is queued (waiting up to 5 s in all), then stops the posting threads. */
  @Override
  public void close() {
    posters.forEach(ThreadPoolExecutor::shutdown);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    try {
      for (ThreadPoolExecutor poster : posters) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!poster.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          poster.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      posters.forEach(ThreadPoolExecutor::shutdownNow);
      Thread.currentThread().interrupt();
    }
  }
}
