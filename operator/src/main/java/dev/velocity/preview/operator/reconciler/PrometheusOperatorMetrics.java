package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * JOSDK's operator metrics (events, reconciliations, failures, execution time) for Prometheus,
 * named like JOSDK's Micrometer metrics so their dashboards apply.
 */
public final class PrometheusOperatorMetrics implements Metrics {

  private final Counter events;
  private final Counter started;
  private final Counter succeeded;
  private final Counter failed;
  private final Gauge executing;
  private final Histogram duration;

  public PrometheusOperatorMetrics(PrometheusRegistry registry) {
    events =
        Counter.builder()
            .name("operator_sdk_events_received_total")
            .help("Events the controller received, by kind (resource action or other)")
            .labelNames("kind")
            .register(registry);
    started =
        Counter.builder()
            .name("operator_sdk_reconciliations_started_total")
            .help("Reconciliations started, by whether they were retries")
            .labelNames("retry")
            .register(registry);
    succeeded =
        Counter.builder()
            .name("operator_sdk_reconciliations_success_total")
            .help("Reconciliations that finished without an error")
            .register(registry);
    failed =
        Counter.builder()
            .name("operator_sdk_reconciliations_failed_total")
            .help("Reconciliations that ended in an error, by exception class")
            .labelNames("exception")
            .register(registry);
    executing =
        Gauge.builder()
            .name("operator_sdk_reconciliations_executions")
            .help("Reconciliations running now")
            .register(registry);
    duration =
        Histogram.builder()
            .name("operator_sdk_controller_execution_seconds")
            .help("Time a reconcile or cleanup took, by execution and outcome")
            .labelNames("execution", "outcome")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    String kind =
        event instanceof ResourceEvent resourceEvent
            ? resourceEvent.getAction().name().toLowerCase(java.util.Locale.ROOT)
            : "other";
    events.labelValues(kind).inc();
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    boolean retry = retryInfo != null && retryInfo.getAttemptCount() > 0;
    started.labelValues(Boolean.toString(retry)).inc();
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    failed.labelValues(exception.getClass().getSimpleName()).inc();
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    succeeded.inc();
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    executing.inc();
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    executing.dec();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    String outcome = "failure";
    try {
      T result = execution.execute();
      outcome = "success";
      return result;
    } finally {
      duration.labelValues(execution.name(), outcome).observe((System.nanoTime() - start) / 1e9);
    }
  }
}
