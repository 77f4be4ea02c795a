package dev.velocity.preview.operator.chart;

import java.util.List;

/** The value sets the chart is linted and rendered with: every mode of the chart at least once. */
enum ValueSets {
  DEFAULTS(""),
  NAMESPACED(
      """
      watch:
        namespaces: [team-a, team-b]
      """),
  CLUSTER(
      """
      watch:
        allNamespaces: true
      """),
  EXISTING_SECRETS(
      """
      tokens:
        signingKey:
          existingSecret: preview-token-key
          keyId: prod-2026-11
          privateKeyKey: ed25519.key
          publicKeyKey: ed25519.pub
        additionalPublicKeys:
          prod-2026-10: |
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAlZx7zGnSPFY61XJwbzUGTMOa2uzQbnBwwr6kYh8Jp2k=
            -----END PUBLIC KEY-----
      gateway:
        serviceToken:
          existingSecret: preview-gateway-token
          key: token
      """),
  GATEWAY_SPLIT_3(
      """
      gateway:
        split: true
        replicas: 3
      """),
  COMBINED(
      """
      gateway:
        split: false
      operator:
        replicas: 3
      """),
  MIGRATION(
      """
      migration:
        enabled: true
        existingSecret: preview-database-owner
      """),
  MONITORING(
      """
      metrics:
        serviceMonitor:
          enabled: true
          labels:
            release: prometheus
      dashboard:
        enabled: true
        namespace: monitoring
      """),
  LOCKED_DOWN(
      """
      watch:
        namespaces: [previews]
      networkPolicy:
        metricsIngressFrom:
          - namespaceSelector:
              matchLabels:
                kubernetes.io/metadata.name: monitoring
        gatewayIngressFrom:
          - namespaceSelector:
              matchLabels:
                kubernetes.io/metadata.name: builder
        egress:
          enabled: true
          apiServer:
            ports: [6443]
            to:
              - ipBlock:
                  cidr: 10.0.0.1/32
          database:
            ports: [5432]
            to:
              - ipBlock:
                  cidr: 10.20.0.0/16
        sessions:
          enabled: true
          extraEgress:
            - to:
                - ipBlock:
                    cidr: 104.16.0.0/12
              ports:
                - port: 443
                  protocol: TCP
      """),
  AUTOSCALED_SINGLE_OPERATOR(
      """
      operator:
        replicas: 1
        leaderElection:
          enabled: false
      gateway:
        autoscaling:
          enabled: true
          minReplicas: 3
          maxReplicas: 12
      """);

  private final String yaml;

  ValueSets(String yaml) {
    this.yaml = yaml;
  }

  String yaml() {
    return yaml;
  }

  RenderedManifests render() {
    return ChartUnderTest.firstInstall().render(yaml);
  }

  static List<ValueSets> all() {
    return List.of(values());
  }
}
