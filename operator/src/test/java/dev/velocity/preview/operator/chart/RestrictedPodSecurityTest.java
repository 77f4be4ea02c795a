package dev.velocity.preview.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

/** The checker the chart tests rely on must itself find what breaks the profile. */
class RestrictedPodSecurityTest {

  @Test
  void acceptsAHardenedPod() {
    PodSpec pod =
        new PodSpecBuilder()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(10001L)
            .withNewSeccompProfile("", "RuntimeDefault")
            .endSecurityContext()
            .addNewContainer()
            .withName("app")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .withAdd("NET_BIND_SERVICE")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .build();

    assertThat(RestrictedPodSecurity.violations(pod)).isEmpty();
  }

  @Test
  void reportsEveryBreachOfTheProfile() {
    PodSpec pod =
        new PodSpecBuilder()
            .withHostNetwork(true)
            .withNewSecurityContext()
            .withRunAsUser(0L)
            .endSecurityContext()
            .addNewInitContainer()
            .withName("init")
            .withNewSecurityContext()
            .withPrivileged(true)
            .withNewSeccompProfile("", "Unconfined")
            .withNewCapabilities()
            .withAdd("SYS_ADMIN")
            .endCapabilities()
            .endSecurityContext()
            .addNewPort()
            .withContainerPort(80)
            .withHostPort(80)
            .endPort()
            .endInitContainer()
            .addNewVolume()
            .withName("host")
            .withNewHostPath()
            .withPath("/var/run")
            .endHostPath()
            .endVolume()
            .build();

    assertThat(RestrictedPodSecurity.violations(pod))
        .containsExactly(
            "hostNetwork",
            "pod runAsUser 0",
            "volume host of type hostPath",
            "container init: privileged",
            "container init: allowPrivilegeEscalation is not false",
            "container init: runAsNonRoot is not true",
            "container init: runAsUser 0",
            "container init: seccompProfile is not RuntimeDefault or Localhost",
            "container init: capabilities do not drop ALL",
            "container init: adds capability SYS_ADMIN",
            "container init: root filesystem is not read-only",
            "container init: hostPort 80");
  }
}
