package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts {@link SessionEvent}s as core/v1 Events on the session, so {@code kubectl describe pvs}
 * shows its history. An event that cannot be posted is logged, never fails a reconciliation.
 */
public final class SessionEventRecorder {

  private static final Logger log = LoggerFactory.getLogger(SessionEventRecorder.class);
  private static final String COMPONENT = "preview-operator";
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final AtomicLong sequence = new AtomicLong();

  public SessionEventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  /** Posts {@code events} about {@code session}. */
  public void record(PreviewSession session, List<SessionEvent> events) {
    for (SessionEvent event : events) {
      post(session, event);
    }
  }

  private void post(PreviewSession session, SessionEvent event) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String name =
        session.getMetadata().getName()
            + "."
            + Long.toHexString(clock.millis())
            + Long.toHexString(sequence.incrementAndGet());
    String message = event.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    try {
      client
          .v1()
          .events()
          .inNamespace(session.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name.toLowerCase(Locale.ROOT))
                  .withNamespace(session.getMetadata().getNamespace())
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(session.getApiVersion())
                          .withKind(session.getKind())
                          .withName(session.getMetadata().getName())
                          .withNamespace(session.getMetadata().getNamespace())
                          .withUid(session.getMetadata().getUid())
                          .withResourceVersion(session.getMetadata().getResourceVersion())
                          .build())
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
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.warn("could not post event {} on session: {}", event.reason(), e.getMessage());
    }
  }
}
