package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ServiceMonitors scrape named ports that exist; the dashboard is valid JSON for the sidecar. */
class ChartMonitoringTest {

  @Test
  void serviceMonitorsSelectTheMetricsServicesByTheirPortNames() {
    RenderedManifests rendered = ValueSets.MONITORING.render();

    List<GenericKubernetesResource> monitors = rendered.generic("ServiceMonitor");
    assertThat(monitors)
        .extracting(RenderedManifests::name)
        .containsExactlyInAnyOrder(FULLNAME + "-operator", FULLNAME + "-gateway");
    for (GenericKubernetesResource monitor : monitors) {
      assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
      assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
      Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
      List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
      Service service =
          rendered.all(Service.class).stream()
              .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Service matches " + selector));
      assertThat(service.getSpec().getPorts())
          .extracting(p -> p.getName())
          .contains((String) endpoints.get(0).get("port"));
      assertThat(endpoints.get(0)).containsEntry("path", "/metrics");
    }
    assertThat(ValueSets.DEFAULTS.render().generic("ServiceMonitor")).isEmpty();
  }

  @Test
  void theDashboardIsALabelledConfigMapOfValidGrafanaJson() throws Exception {
    ConfigMap dashboard =
        ValueSets.MONITORING.render().get(ConfigMap.class, FULLNAME + "-dashboard");

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("preview-operator.json"));
    assertThat(json.get("uid").asText()).isEqualTo("preview-operator");
    List<String> expressions = new ArrayList<>();
    json.get("panels")
        .forEach(
            p -> {
              if (p.has("targets")) {
                p.get("targets").forEach(t -> expressions.add(t.get("expr").asText()));
              }
            });
    String promql = String.join("\n", expressions);

    assertThat(promql)
        .contains(
            "preview_session_start_seconds_bucket",
            "preview_session_snapshot_seconds_bucket",
            "preview_session_snapshots_total",
            "preview_tokens_minted_total",
            "operator_sdk_reconciliations_failed_total",
            "preview_gateway_streams_open",
            "preview_gateway_commit_to_send_seconds_bucket");
    assertThat(metricNames(promql))
        .as("metrics the dashboard queries that no code of the project registers")
        .isSubsetOf(registeredMetricNames());
  }

  /** The project's own metric names in PromQL expressions, without histogram suffixes. */
  private static Set<String> metricNames(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:preview|operator_sdk)_[a-z_]+)").matcher(promql);
    while (m.find()) {
      names.add(m.group(1).replaceAll("_(bucket|sum|count)$", ""));
    }
    return names;
  }

  /** Every {@code .name("...")} of a metric builder in the project's main sources. */
  private static Set<String> registeredMetricNames() throws IOException {
    Path root = ChartUnderTest.SOURCE.getParent().getParent();
    Pattern builderName = Pattern.compile("\\.name\\(\"((?:preview|operator_sdk)_[a-z_]+)\"\\)");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> sources =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/main/java/"))
              .toList();
      for (Path file : sources) {
        Matcher m = builderName.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).as("metric builders found under " + root).isNotEmpty();
    return names;
  }
}
