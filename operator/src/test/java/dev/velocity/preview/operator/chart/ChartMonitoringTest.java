package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        .forEach(p -> p.get("targets").forEach(t -> expressions.add(t.get("expr").asText())));
    assertThat(String.join("\n", expressions))
        .contains(
            "preview_session_start_seconds_bucket",
            "preview_snapshot_build_seconds_bucket",
            "preview_snapshots_total",
            "preview_tokens_minted_total");
  }
}
