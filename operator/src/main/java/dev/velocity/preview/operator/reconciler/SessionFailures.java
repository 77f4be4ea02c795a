package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Turns what a reconciliation threw into a {@link SessionFailure} a person can act on. */
public final class SessionFailures {

  private static final int HTTP_UNPROCESSABLE = 422;

  private SessionFailures() {}

  /** The failure behind {@code error}; a permanent one wins over transient ones. */
  public static SessionFailure classify(Throwable error) {
    List<SessionFailure> failures = new ArrayList<>();
    if (error instanceof AggregatedOperatorException aggregated) {
      aggregated.getAggregatedExceptions().values().forEach(e -> failures.add(classifyOne(e)));
    }
    if (failures.isEmpty()) {
      failures.add(classifyOne(error));
    }
    return failures.stream().filter(SessionFailure::permanent).findFirst().orElse(failures.get(0));
  }

  private static SessionFailure classifyOne(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SessionFailureException sfe) {
        return sfe.failure();
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        if (k.getCode() == HTTP_UNPROCESSABLE) {
          return SessionFailure.permanentFailure(
              SessionReasons.INVALID_SPEC,
              "the Kubernetes API rejected an object of this session: " + message(k));
        }
        return SessionFailure.transientFailure(
            SessionReasons.KUBERNETES_API_ERROR,
            "Kubernetes API request failed (" + k.getCode() + "): " + message(k));
      }
      if (t instanceof SQLException sql) {
        return SessionFailure.transientFailure(
            SessionReasons.DATABASE_UNAVAILABLE, "database unavailable: " + message(sql));
      }
    }
    return SessionFailure.transientFailure(
        SessionReasons.INTERNAL_ERROR, error.getClass().getSimpleName() + ": " + message(error));
  }

  private static String message(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
