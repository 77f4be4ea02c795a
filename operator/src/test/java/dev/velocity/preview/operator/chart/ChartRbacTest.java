package dev.velocity.preview.operator.chart;

import static dev.velocity.preview.operator.chart.ChartUnderTest.FULLNAME;
import static dev.velocity.preview.operator.chart.ChartUnderTest.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator and gateway get exactly the verbs their code uses, in exactly the right scope. */
class ChartRbacTest {

  private static final String GROUP = "preview.velocity.dev";
  private static final Set<String> OPERATOR_RULES =
      grants(
          List.of(GROUP),
          List.of("previewsessions"),
          List.of("get", "list", "watch", "patch", "update"),
          List.of(GROUP),
          List.of("previewsessions/status"),
          List.of("get", "patch", "update"),
          List.of(""),
          List.of("pods", "secrets", "services"),
          List.of("get", "list", "watch", "create", "update", "patch", "delete"),
          List.of(""),
          List.of("events"),
          List.of("create", "patch"));
  private static final Set<String> GATEWAY_RULES =
      grants(List.of(GROUP), List.of("previewsessions"), List.of("get", "list", "watch"));
  private static final Set<String> LEASE_RULES =
      grants(List.of("coordination.k8s.io"), List.of("leases"), List.of("get", "create", "update"));

  @Test
  void namespacedModeGrantsARolePerWatchedNamespaceAndNothingClusterWide() {
    RenderedManifests rendered = ValueSets.NAMESPACED.render();

    assertThat(rendered.all(ClusterRole.class)).isEmpty();
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
    for (String namespace : List.of("team-a", "team-b")) {
      assertThat(rules(rendered.get(Role.class, namespace, FULLNAME + "-operator")))
          .isEqualTo(OPERATOR_RULES);
      assertThat(rules(rendered.get(Role.class, namespace, FULLNAME + "-gateway")))
          .isEqualTo(GATEWAY_RULES);
      assertBinding(
          rendered.get(RoleBinding.class, namespace, FULLNAME + "-operator"),
          "Role",
          FULLNAME + "-operator");
      assertBinding(
          rendered.get(RoleBinding.class, namespace, FULLNAME + "-gateway"),
          "Role",
          FULLNAME + "-gateway");
    }
    assertThat(rendered.all(Role.class))
        .extracting(role -> role.getMetadata().getNamespace() + "/" + RenderedManifests.name(role))
        .containsExactlyInAnyOrder(
            "team-a/" + FULLNAME + "-operator",
            "team-a/" + FULLNAME + "-gateway",
            "team-b/" + FULLNAME + "-operator",
            "team-b/" + FULLNAME + "-gateway",
            NAMESPACE + "/" + FULLNAME + "-operator-leader-election");
    assertThat(rendered.configData()).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void withoutNamespacesTheReleaseNamespaceIsWatched() {
    RenderedManifests rendered = ValueSets.DEFAULTS.render();

    assertThat(rendered.all(ClusterRole.class)).isEmpty();
    assertThat(rules(rendered.get(Role.class, NAMESPACE, FULLNAME + "-operator")))
        .isEqualTo(OPERATOR_RULES);
    assertThat(rendered.configData()).containsEntry("WATCH_NAMESPACES", NAMESPACE);
  }

  /**
   * Cluster mode lists and watches Secrets in every namespace: the session Secrets' informer is
   * label-filtered, and RBAC cannot scope by label. The namespaced mode is the way to avoid it.
   */
  @Test
  void clusterModeGrantsClusterRolesWithTheSameVerbsAndKeepsTheLeaseNamespaced() {
    RenderedManifests rendered = ValueSets.CLUSTER.render();

    assertThat(rules(rendered.get(ClusterRole.class, FULLNAME + "-operator")))
        .isEqualTo(OPERATOR_RULES);
    assertThat(rules(rendered.get(ClusterRole.class, FULLNAME + "-gateway")))
        .isEqualTo(GATEWAY_RULES);
    assertBinding(
        rendered.get(ClusterRoleBinding.class, FULLNAME + "-operator"),
        "ClusterRole",
        FULLNAME + "-operator");
    assertBinding(
        rendered.get(ClusterRoleBinding.class, FULLNAME + "-gateway"),
        "ClusterRole",
        FULLNAME + "-gateway");
    assertThat(rendered.all(Role.class))
        .extracting(RenderedManifests::name)
        .containsExactly(FULLNAME + "-operator-leader-election");
    assertThat(rendered.configData()).containsEntry("WATCH_NAMESPACES", "");
  }

  @ParameterizedTest
  @EnumSource(ValueSets.class)
  void noRuleUsesWildcardsAndLeasesAreOnlyInTheLeaseNamespace(ValueSets values) {
    RenderedManifests rendered = values.render();

    for (HasMetadata role : roles(rendered)) {
      for (PolicyRule rule : policyRules(role)) {
        assertThat(rule.getVerbs()).doesNotContain("*");
        assertThat(rule.getResources()).doesNotContain("*");
        assertThat(rule.getApiGroups()).doesNotContain("*");
        assertThat(rule.getNonResourceURLs()).isEmpty();
        if (rule.getResources().contains("leases")) {
          assertThat(role).isInstanceOf(Role.class);
          assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        }
      }
    }
  }

  @Test
  void leaderElectionOffDropsTheLeaseRole() {
    assertThat(ValueSets.AUTOSCALED_SINGLE_OPERATOR.render().all(Role.class))
        .extracting(RenderedManifests::name)
        .doesNotContain(FULLNAME + "-operator-leader-election");
  }

  @Test
  void combinedModeHasNoGatewayAccountOrRoles() {
    RenderedManifests rendered = ValueSets.COMBINED.render();

    assertThat(rendered.names())
        .doesNotContain(
            "ServiceAccount/" + FULLNAME + "-gateway",
            "Role/" + FULLNAME + "-gateway",
            "RoleBinding/" + FULLNAME + "-gateway");
  }

  private static void assertBinding(HasMetadata binding, String roleKind, String roleName) {
    String kind;
    String name;
    List<Subject> subjects;
    if (binding instanceof RoleBinding rb) {
      kind = rb.getRoleRef().getKind();
      name = rb.getRoleRef().getName();
      subjects = rb.getSubjects();
    } else {
      ClusterRoleBinding crb = (ClusterRoleBinding) binding;
      kind = crb.getRoleRef().getKind();
      name = crb.getRoleRef().getName();
      subjects = crb.getSubjects();
    }
    assertThat(kind).isEqualTo(roleKind);
    assertThat(name).isEqualTo(roleName);
    assertThat(subjects)
        .extracting(s -> s.getKind() + ":" + s.getNamespace() + "/" + s.getName())
        .containsExactly("ServiceAccount:" + NAMESPACE + "/" + roleName);
  }

  private static List<HasMetadata> roles(RenderedManifests rendered) {
    return rendered.all().stream()
        .filter(o -> o instanceof Role || o instanceof ClusterRole)
        .toList();
  }

  private static List<PolicyRule> policyRules(HasMetadata role) {
    return role instanceof Role r ? r.getRules() : ((ClusterRole) role).getRules();
  }

  private static Set<String> rules(HasMetadata role) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : policyRules(role)) {
      assertThat(rule.getResourceNames()).isEmpty();
      grants.addAll(grants(rule.getApiGroups(), rule.getResources(), rule.getVerbs()));
    }
    return grants;
  }

  /** Triples of (groups, resources, verbs) expanded to "group|resource|verb" grants. */
  @SafeVarargs
  private static Set<String> grants(List<String>... triples) {
    Set<String> grants = new TreeSet<>();
    for (int i = 0; i < triples.length; i += 3) {
      for (String group : triples[i]) {
        for (String resource : triples[i + 1]) {
          for (String verb : triples[i + 2]) {
            grants.add(group + "|" + resource + "|" + verb);
          }
        }
      }
    }
    return grants;
  }
}
