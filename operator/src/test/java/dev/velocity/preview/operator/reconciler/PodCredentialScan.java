package dev.velocity.preview.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks every field of a pod and fails if anything in it could be, name or point at a database or
 * object-store credential. The session pod may hold only the presigned URL (through the session
 * Secret), the gateway URL and the session token (a file from the session Secret).
 */
public final class PodCredentialScan {

  private static final List<String> FORBIDDEN_TEXT =
      List.of(
          "jdbc:",
          "postgres://",
          "postgresql://",
          "password",
          "passwd",
          "database_",
          "s3_",
          "aws_",
          "minio",
          "access_key",
          "accesskey",
          "secret_key",
          "secretkey",
          "x-amz-",
          "service_role",
          "preview_operator",
          "begin private key",
          "eyj");

  private static final Set<String> ALLOWED_SECRET_KEYS =
      Set.of(
          PreviewSessionResources.SECRET_TOKEN_KEY,
          PreviewSessionResources.SECRET_SNAPSHOT_URL_KEY);

  private PodCredentialScan() {}

  /**
   * Fails unless {@code pod} is free of credentials; {@code knownSecrets} must not appear either.
   */
  public static void assertNoCredentials(
      Pod pod, PreviewSession session, Collection<String> knownSecrets) {
    JsonNode tree = new ObjectMapper().valueToTree(pod);
    List<String> findings = new ArrayList<>();
    walk(tree, "pod", findings, knownSecrets);
    assertThat(findings).as("credential-like content in the session pod").isEmpty();

    String secretName = PreviewSessionResources.secretName(session);
    List<JsonNode> refs = new ArrayList<>();
    collect(tree, "secretKeyRef", refs);
    assertThat(refs)
        .allSatisfy(
            ref -> {
              assertThat(ref.path("name").asText()).isEqualTo(secretName);
              assertThat(ALLOWED_SECRET_KEYS).contains(ref.path("key").asText());
            });
    List<JsonNode> secretVolumes = new ArrayList<>();
    collect(tree, "secret", secretVolumes);
    assertThat(secretVolumes)
        .allSatisfy(
            volume -> {
              assertThat(volume.path("secretName").asText()).isEqualTo(secretName);
              assertThat(volume.path("items")).isNotEmpty();
              volume
                  .path("items")
                  .forEach(item -> assertThat(item.path("key").asText()).isEqualTo("token"));
            });
    List<JsonNode> forbiddenSources = new ArrayList<>();
    for (String field :
        List.of(
            "envFrom", "projected", "configMapKeyRef", "serviceAccountToken", "csi", "hostPath")) {
      collect(tree, field, forbiddenSources);
    }
    assertThat(forbiddenSources).as("envFrom, projected, ConfigMap, CSI or host volumes").isEmpty();
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
  }

  public static void assertNoCredentials(Pod pod, PreviewSession session) {
    assertNoCredentials(pod, session, List.of());
  }

  private static void walk(
      JsonNode node, String path, List<String> findings, Collection<String> known) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (path.endsWith(".labels") || path.endsWith(".annotations")) {
          check(field.getKey(), path + "." + field.getKey() + " (key)", findings, known);
        }
        walk(field.getValue(), path + "." + field.getKey(), findings, known);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", findings, known);
      }
    } else if (node.isTextual()) {
      check(node.asText(), path, findings, known);
    }
  }

  private static void check(
      String text, String path, List<String> findings, Collection<String> known) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String forbidden : FORBIDDEN_TEXT) {
      if (lower.contains(forbidden)) {
        findings.add(path + " contains '" + forbidden + "': " + text);
      }
    }
    for (String secret : known) {
      if (secret != null && secret.length() >= 4 && text.contains(secret)) {
        findings.add(path + " contains a known secret value");
      }
    }
  }

  private static void collect(JsonNode node, String field, List<JsonNode> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals(field) && !e.getValue().isNull()) {
                  out.add(e.getValue());
                }
                collect(e.getValue(), field, out);
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, field, out));
    }
  }
}
