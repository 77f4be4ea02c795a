package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static dev.velocity.preview.operator.chart.ChartUnderTest.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which workloads run where, with which role, and how the agents find the gateway. */
class ChartTopologyTest {

  private static final String OPERATOR = FULLNAME + "-operator";
  private static final String GATEWAY = FULLNAME + "-gateway";
  private static final String GATEWAY_URL =
      "http://" + GATEWAY + "." + NAMESPACE + ".svc.cluster.local:8080";

  @Test
  void byDefaultALeaderElectedOperatorPairAndASeparateGateway() {
    RenderedManifests rendered = ValueSets.DEFAULTS.render();

    Deployment operator = rendered.get(Deployment.class, OPERATOR);
    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container(operator).getArgs()).containsExactly("--role=operator");
    assertThat(container(operator).getImage())
        .isEqualTo("ghcr.io/velocity-dev/preview-operator:0.1.0");
    assertThat(operator.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(rendered.configData())
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("LEADER_ELECTION_NAMESPACE", NAMESPACE)
        .containsEntry("GATEWAY_PUBLIC_URL", GATEWAY_URL)
        .containsEntry("AGENT_IMAGE", "ghcr.io/velocity-dev/preview-agent:0.1.0")
        .containsEntry("METRICS_PORT", "8081");

    Deployment gateway = rendered.get(Deployment.class, GATEWAY);
    assertThat(gateway.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container(gateway).getArgs()).containsExactly("--role=gateway");
    assertThat(gateway.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(GATEWAY);
    assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(OPERATOR);

    assertThat(
            rendered
                .get(PodDisruptionBudget.class, OPERATOR)
                .getSpec()
                .getMinAvailable()
                .getIntVal())
        .isEqualTo(1);
    assertThat(
            rendered
                .get(PodDisruptionBudget.class, GATEWAY)
                .getSpec()
                .getMaxUnavailable()
                .getIntVal())
        .isEqualTo(1);
  }

  @Test
  void theGatewayServiceSelectsTheGatewayPodsOnTheirHttpPort() {
    RenderedManifests rendered = ValueSets.GATEWAY_SPLIT_3.render();

    Deployment gateway = rendered.get(Deployment.class, GATEWAY);
    assertThat(gateway.getSpec().getReplicas()).isEqualTo(3);
    Service service = rendered.get(Service.class, GATEWAY);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(gateway.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(8080);
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(container(gateway).getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080));
  }

  @Test
  void combinedModeRunsRoleAllAndTheServiceSelectsTheOperatorPods() {
    RenderedManifests rendered = ValueSets.COMBINED.render();

    assertThat(rendered.find(Deployment.class, GATEWAY)).isEmpty();
    Deployment operator = rendered.get(Deployment.class, OPERATOR);
    assertThat(operator.getSpec().getReplicas()).isEqualTo(3);
    assertThat(container(operator).getArgs()).containsExactly("--role=all");
    assertThat(container(operator).getPorts())
        .extracting(ContainerPort::getName)
        .containsExactly("metrics", "http");
    assertThat(container(operator).getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("http");
    assertThat(rendered.get(Service.class, GATEWAY).getSpec().getSelector())
        .isEqualTo(operator.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(rendered.find(PodDisruptionBudget.class, GATEWAY)).isEmpty();
    assertThat(rendered.configData()).containsEntry("GATEWAY_PUBLIC_URL", GATEWAY_URL);
  }

  @Test
  void anAutoscaledGatewayHasNoFixedReplicasAndASingleOperatorNoBudget() {
    RenderedManifests rendered = ValueSets.AUTOSCALED_SINGLE_OPERATOR.render();

    assertThat(rendered.get(Deployment.class, GATEWAY).getSpec().getReplicas()).isNull();
    HorizontalPodAutoscaler hpa = rendered.get(HorizontalPodAutoscaler.class, GATEWAY);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(GATEWAY);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
    assertThat(rendered.find(PodDisruptionBudget.class, OPERATOR)).isEmpty();
    assertThat(rendered.find(PodDisruptionBudget.class, GATEWAY)).isPresent();
    assertThat(rendered.configData()).containsEntry("LEADER_ELECTION", "false");
  }

  @Test
  void theMigrationJobIsAPreInstallAndPreUpgradeHookThatNeedsNoApiAccess() {
    RenderedManifests rendered = ValueSets.MIGRATION.render();

    Job job = rendered.get(Job.class, FULLNAME + "-migrate");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(ChartUnderTest.HOOK_ANNOTATION, "pre-install,pre-upgrade")
        .containsEntry(
            ChartUnderTest.HOOK_ANNOTATION + "-delete-policy",
            "before-hook-creation,hook-succeeded");
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isNull();
    assertThat(pod.getContainers().get(0).getArgs()).containsExactly("migrate");
    assertThat(pod.getContainers().get(0).getEnv())
        .anyMatch(
            env ->
                env.getName().equals("DATABASE_URL")
                    && env.getValue().equals("jdbc:postgresql://postgresql:5432/preview"));
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(ValueSets.DEFAULTS.render().all(Job.class)).isEmpty();
  }

  @Test
  void aConfigChangeRollsThePodsAndAnImageDigestPinsTheImages() {
    ChartUnderTest chart = ChartUnderTest.firstInstall();
    String before = checksum(chart.render(""));
    String after = checksum(chart.render("snapshots: {urlTtlSeconds: 600}"));
    assertThat(after).isNotEqualTo(before);

    String digest = "sha256:" + "ab".repeat(32);
    RenderedManifests pinned =
        chart.render(
            "image: {digest: '" + digest + "'}\nagent: {image: {digest: '" + digest + "'}}");
    assertThat(container(pinned.get(Deployment.class, OPERATOR)).getImage())
        .isEqualTo("ghcr.io/velocity-dev/preview-operator@" + digest);
    assertThat(pinned.configData())
        .containsEntry("AGENT_IMAGE", "ghcr.io/velocity-dev/preview-agent@" + digest);
  }

  private static String checksum(RenderedManifests rendered) {
    Map<String, String> annotations =
        rendered
            .get(Deployment.class, OPERATOR)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    assertThat(annotations).containsKey("checksum/config");
    return annotations.get("checksum/config");
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
