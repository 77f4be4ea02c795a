package dev.velocity.preview.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pod of every mode of the chart is PSS restricted, probed, sized, and well-formed. */
class ChartPodSecurityTest {

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void everyPodMeetsTheRestrictedProfile(ValueSets values) {
    Map<String, PodSpec> pods = values.render().podSpecs();

    assertThat(pods).isNotEmpty();
    pods.forEach(
        (pod, spec) -> assertThat(RestrictedPodSecurity.violations(spec)).as(pod).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void everyContainerHasRequestsAndAMemoryLimit(ValueSets values) {
    values
        .render()
        .containers()
        .forEach(
            (name, container) -> {
              assertThat(container.getResources().getRequests())
                  .as(name)
                  .containsKeys("cpu", "memory");
              assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
            });
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void everyLongRunningContainerIsProbedOnAPortItDeclares(ValueSets values) {
    values
        .render()
        .containers()
        .forEach(
            (name, container) -> {
              if (name.startsWith("Job/")) {
                assertThat(container.getReadinessProbe()).as(name).isNull();
                return;
              }
              assertProbe(name + " startup", container, container.getStartupProbe(), "/healthz");
              assertProbe(name + " liveness", container, container.getLivenessProbe(), "/healthz");
              assertProbe(name + " readiness", container, container.getReadinessProbe(), "/readyz");
            });
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void everyContainerWritesOnlyToAnEmptyDirAtTmp(ValueSets values) {
    values
        .render()
        .podSpecs()
        .forEach(
            (pod, spec) -> {
              Volume tmp =
                  spec.getVolumes().stream()
                      .filter(v -> v.getName().equals("tmp"))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError(pod + " has no tmp volume"));
              assertThat(tmp.getEmptyDir().getSizeLimit()).as(pod).isNotNull();
              for (Container container : spec.getContainers()) {
                assertThat(container.getVolumeMounts())
                    .as(pod + "/" + container.getName())
                    .anyMatch(m -> m.getName().equals("tmp") && m.getMountPath().equals("/tmp"))
                    .filteredOn(m -> !m.getName().equals("tmp"))
                    .allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()));
              }
            });
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void everyRenderedObjectHasOnlyFieldsItsKubernetesTypeKnows(ValueSets values) {
    values
        .render()
        .all()
        .forEach(
            object ->
                assertThat(UnknownFields.of(object))
                    .as(object.getKind() + "/" + RenderedManifests.name(object))
                    .isEmpty());
  }

  private static void assertProbe(String what, Container container, Probe probe, String path) {
    assertThat(probe).as(what).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
    String port = probe.getHttpGet().getPort().getStrVal();
    assertThat(container.getPorts()).extracting(ContainerPort::getName).as(what).contains(port);
    assertThat(probe.getPeriodSeconds()).as(what).isPositive();
    assertThat(probe.getFailureThreshold()).as(what).isPositive();
  }
}
