package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreviewSessionResourcesTest {

  @Test
  void namesDeriveFromTheSessionName() {
    var session = TestSessions.session("my-app");
    assertThat(PreviewSessionResources.podName(session)).isEqualTo("my-app-preview");
    assertThat(PreviewSessionResources.secretName(session)).isEqualTo("my-app-session");
    assertThat(PreviewSessionResources.serviceName(session)).isEqualTo("my-app-preview");
    assertThat(PreviewSessionResources.serviceUrl(session, 3000))
        .isEqualTo("http://my-app-preview.previews.svc:3000");
  }

  @Test
  void longNamesStayValidDnsLabelsAndUnique() {
    String a = "a".repeat(70) + "-one";
    String b = "a".repeat(70) + "-two";
    String podA = PreviewSessionResources.dnsLabel(a, "-preview");
    String podB = PreviewSessionResources.dnsLabel(b, "-preview");
    assertThat(podA)
        .hasSizeLessThanOrEqualTo(63)
        .endsWith("-preview")
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(podA).isNotEqualTo(podB);
    assertThat(PreviewSessionResources.dnsLabel(a, "-preview")).isEqualTo(podA);
  }

  @Test
  void longLabelValuesAreShortenedDeterministically() {
    String name = "x".repeat(100);
    String label = PreviewSessionResources.labelValue(name);
    assertThat(label)
        .hasSizeLessThanOrEqualTo(63)
        .isEqualTo(PreviewSessionResources.labelValue(name));
    assertThat(PreviewSessionResources.labelValue("short")).isEqualTo("short");
  }

  @Test
  void selectorIsASubsetOfTheLabels() {
    var session = TestSessions.session("my-app");
    assertThat(PreviewSessionResources.labels(session))
        .containsAllEntriesOf(PreviewSessionResources.selector(session));
  }
}
