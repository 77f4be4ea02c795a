package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.protocol.ContentHash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every name, label and annotation the operator gives the objects it owns for a {@link
 * PreviewSession}, in one place.
 */
public final class PreviewSessionResources {

  /**
   * Value of {@code app.kubernetes.io/managed-by} on every owned object; informers select on it.
   */
  public static final String MANAGED_BY = "preview-operator";

  /** Label selector matching every object this operator owns. */
  public static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;

  /** Label with the session's name (hashed when longer than a label value may be). */
  public static final String SESSION_LABEL = PreviewSession.GROUP + "/session";

  /** Label with the session's UID. */
  public static final String SESSION_UID_LABEL = PreviewSession.GROUP + "/session-uid";

  /** Label with the project's ID. */
  public static final String PROJECT_LABEL = PreviewSession.GROUP + "/project";

  /** Annotation with the hash of the pod spec; a different hash means a new pod. */
  public static final String SPEC_HASH_ANNOTATION = PreviewSession.GROUP + "/spec-hash";

  /** Secret annotations that drive rotation (RFC 3339 instants and the snapshot key). */
  public static final String TOKEN_ISSUED_AT_ANNOTATION = PreviewSession.GROUP + "/token-issued-at";

  public static final String TOKEN_EXPIRES_AT_ANNOTATION =
      PreviewSession.GROUP + "/token-expires-at";
  public static final String URL_EXPIRES_AT_ANNOTATION = PreviewSession.GROUP + "/url-expires-at";
  public static final String SNAPSHOT_KEY_ANNOTATION = PreviewSession.GROUP + "/snapshot-key";
  public static final String TOKEN_ID_ANNOTATION = PreviewSession.GROUP + "/token-id";

  /** Secret keys. */
  public static final String SECRET_TOKEN_KEY = "token";

  public static final String SECRET_SNAPSHOT_URL_KEY = "snapshot-url";

  /** Container names. */
  public static final String HYDRATE_CONTAINER = "hydrate";

  public static final String DEV_SERVER_CONTAINER = "dev-server";
  public static final String SYNC_CONTAINER = "sync";

  private static final int MAX_LABEL_VALUE = 63;
  private static final int MAX_DNS_LABEL = 63;

  private PreviewSessionResources() {}

  /** Name of the session's pod. */
  public static String podName(PreviewSession session) {
    return dnsLabel(session.getMetadata().getName(), "-preview");
  }

  /** Name of the session's Secret (token and presigned snapshot URL). */
  public static String secretName(PreviewSession session) {
    return dnsLabel(session.getMetadata().getName(), "-session");
  }

  /** Name of the session's Service (only when a port is exposed). */
  public static String serviceName(PreviewSession session) {
    return dnsLabel(session.getMetadata().getName(), "-preview");
  }

  /** In-cluster URL of the dev server behind the session's Service. */
  public static String serviceUrl(PreviewSession session, int port) {
    return "http://"
        + serviceName(session)
        + "."
        + session.getMetadata().getNamespace()
        + ".svc:"
        + port;
  }

  /** The labels of every object owned by {@code session}. */
  public static Map<String, String> labels(PreviewSession session) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "preview-session");
    labels.put("app.kubernetes.io/instance", labelValue(session.getMetadata().getName()));
    labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
    labels.put(SESSION_LABEL, labelValue(session.getMetadata().getName()));
    if (session.getMetadata().getUid() != null) {
      labels.put(SESSION_UID_LABEL, session.getMetadata().getUid());
    }
    if (session.getSpec() != null && session.getSpec().getProjectId() != null) {
      labels.put(PROJECT_LABEL, labelValue(session.getSpec().getProjectId()));
    }
    return labels;
  }

  /** The labels a Service selects the session's pod by. */
  public static Map<String, String> selector(PreviewSession session) {
    return Map.of(
        "app.kubernetes.io/name",
        "preview-session",
        SESSION_LABEL,
        labelValue(session.getMetadata().getName()));
  }

  /**
   * {@code name + suffix} as an RFC 1035 label (at most 63 characters, a letter first, no dots),
   * which a Service name must be although the session's own name may be a DNS subdomain. Names that
   * had to be cut or rewritten are made unique again with a hash of the full name.
   */
  static String dnsLabel(String name, String suffix) {
    String safe = name.replace('.', '-');
    if (safe.isEmpty() || safe.charAt(0) < 'a' || safe.charAt(0) > 'z') {
      safe = "s-" + safe;
    }
    String full = safe + suffix;
    if (full.length() <= MAX_DNS_LABEL && safe.equals(name)) {
      return full;
    }
    String hash = ContentHash.sha256Hex(name).substring(0, 8);
    int keep = Math.min(safe.length(), MAX_DNS_LABEL - suffix.length() - hash.length() - 1);
    String head = safe.substring(0, keep).replaceAll("-+$", "");
    return head + "-" + hash + suffix;
  }

  /** {@code value} as a label value (at most 63 characters, alphanumeric at both ends). */
  static String labelValue(String value) {
    if (value.length() <= MAX_LABEL_VALUE) {
      return value;
    }
    String hash = ContentHash.sha256Hex(value).substring(0, 8);
    String head = value.substring(0, MAX_LABEL_VALUE - hash.length() - 1).replaceAll("[-._]+$", "");
    return head + "-" + hash;
  }
}
