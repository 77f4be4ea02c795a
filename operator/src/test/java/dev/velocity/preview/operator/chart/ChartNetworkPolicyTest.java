package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static dev.velocity.preview.operator.chart.ChartUnderTest.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agents reach the gateway and nothing of the operator; session pods reach only what they need. */
class ChartNetworkPolicyTest {

  private static final Map<String, String> SESSION_PODS =
      Map.of("app.kubernetes.io/managed-by", "preview-operator");

  @Test
  void theGatewayAcceptsSessionPodsOfTheWatchedNamespacesAndTheOperator() {
    RenderedManifests rendered = ValueSets.NAMESPACED.render();
    NetworkPolicy policy = rendered.get(NetworkPolicy.class, FULLNAME + "-gateway");

    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(
            rendered
                .get(Deployment.class, FULLNAME + "-gateway")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    var rule = policy.getSpec().getIngress();
    assertThat(rule).hasSize(1);
    assertThat(rule.get(0).getPorts())
        .extracting(p -> p.getPort().getStrVal())
        .containsExactly("http");
    List<NetworkPolicyPeer> from = rule.get(0).getFrom();
    assertThat(from).hasSize(3);
    for (int i = 0; i < 2; i++) {
      assertThat(from.get(i).getNamespaceSelector().getMatchLabels())
          .containsExactly(
              Map.entry("kubernetes.io/metadata.name", List.of("team-a", "team-b").get(i)));
      assertThat(from.get(i).getPodSelector().getMatchLabels()).isEqualTo(SESSION_PODS);
    }
    assertThat(from.get(2).getNamespaceSelector()).isNull();
    assertThat(from.get(2).getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "operator");
  }

  @Test
  void inClusterModeSessionPodsOfAnyNamespaceReachTheGateway() {
    NetworkPolicy policy =
        ValueSets.CLUSTER.render().get(NetworkPolicy.class, FULLNAME + "-gateway");

    NetworkPolicyPeer sessions = policy.getSpec().getIngress().get(0).getFrom().get(0);
    assertThat(sessions.getNamespaceSelector().getMatchLabels()).isEmpty();
    assertThat(sessions.getNamespaceSelector().getMatchExpressions()).isEmpty();
    assertThat(sessions.getPodSelector().getMatchLabels()).isEqualTo(SESSION_PODS);
  }

  @Test
  void theOperatorPodsOnlyExposeTheirMetricsPort() {
    NetworkPolicy policy =
        ValueSets.DEFAULTS.render().get(NetworkPolicy.class, FULLNAME + "-operator");

    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .extracting(p -> p.getPort().getStrVal())
                  .containsExactly("metrics");
              assertThat(rule.getFrom()).isEmpty();
            });
  }

  @Test
  void lockedDownEgressAllowsDnsTheApiServerTheDatabaseAndS3Only() {
    RenderedManifests rendered = ValueSets.LOCKED_DOWN.render();

    for (String component : List.of("operator", "gateway")) {
      NetworkPolicy policy = rendered.get(NetworkPolicy.class, FULLNAME + "-" + component);
      assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
      List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
      assertThat(egress)
          .extracting(ChartNetworkPolicyTest::ports)
          .containsExactly(
              List.of("UDP/53", "TCP/53"),
              List.of("TCP/6443"),
              List.of("TCP/5432"),
              List.of("TCP/443", "TCP/9000"));
      assertThat(egress.get(1).getTo())
          .extracting(p -> p.getIpBlock().getCidr())
          .containsExactly("10.0.0.1/32");
      assertThat(egress.get(2).getTo())
          .extracting(p -> p.getIpBlock().getCidr())
          .containsExactly("10.20.0.0/16");
    }
    NetworkPolicy gateway = rendered.get(NetworkPolicy.class, FULLNAME + "-gateway");
    assertThat(gateway.getSpec().getIngress().get(0).getFrom())
        .extracting(
            p ->
                p.getNamespaceSelector() == null ? null : p.getNamespaceSelector().getMatchLabels())
        .contains(
            Map.of("kubernetes.io/metadata.name", "builder"),
            Map.of("kubernetes.io/metadata.name", "monitoring"));
  }

  @Test
  void sessionPodsMayReachDnsTheGatewayAndS3AndTheExtraRulesOnly() {
    RenderedManifests rendered = ValueSets.LOCKED_DOWN.render();
    NetworkPolicy sessions = rendered.get(NetworkPolicy.class, "previews", FULLNAME + "-sessions");

    assertThat(sessions.getSpec().getPodSelector().getMatchLabels()).isEqualTo(SESSION_PODS);
    assertThat(sessions.getSpec().getPolicyTypes()).containsExactly("Egress");
    List<NetworkPolicyEgressRule> egress = sessions.getSpec().getEgress();
    assertThat(egress)
        .extracting(ChartNetworkPolicyTest::ports)
        .containsExactly(
            List.of("UDP/53", "TCP/53"),
            List.of("TCP/8080"),
            List.of("TCP/443", "TCP/9000"),
            List.of("TCP/443"));
    NetworkPolicyPeer gateway = egress.get(1).getTo().get(0);
    assertThat(gateway.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", NAMESPACE));
    assertThat(gateway.getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "gateway");
    assertThat(egress.get(3).getTo())
        .extracting(p -> p.getIpBlock().getCidr())
        .containsExactly("104.16.0.0/12");
  }

  @Test
  void sessionPoliciesNeedAListOfNamespaces() {
    assertThatThrownBy(
            () ->
                ChartUnderTest.firstInstall()
                    .renderRaw(
                        "watch: {allNamespaces: true}\nnetworkPolicy: {sessions: {enabled: true}}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "networkPolicy.sessions.enabled needs watch.allNamespaces=false:"
                + " the policy is created in each listed namespace");
  }

  @Test
  void policiesCanBeTurnedOff() {
    assertThat(
            ChartUnderTest.firstInstall()
                .render("networkPolicy: {enabled: false}")
                .all(NetworkPolicy.class))
        .isEmpty();
  }

  private static List<String> ports(NetworkPolicyEgressRule rule) {
    return rule.getPorts().stream().map(ChartNetworkPolicyTest::port).toList();
  }

  private static String port(NetworkPolicyPort port) {
    return port.getProtocol() + "/" + port.getPort().getIntVal();
  }
}
