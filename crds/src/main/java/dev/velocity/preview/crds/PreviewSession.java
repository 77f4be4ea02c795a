package dev.velocity.preview.crds;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A live preview of one project: the operator snapshots the project, starts a pod that hydrates the
 * snapshot and keeps it in sync, and reports progress in the status.
 */
@Group(PreviewSession.GROUP)
@Version(PreviewSession.VERSION)
@Kind(PreviewSession.KIND)
@Plural(PreviewSession.PLURAL)
@Singular("previewsession")
@ShortNames("pvs")
@AdditionalPrinterColumn(
    name = "PHASE",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "PROJECT",
    jsonPath = ".spec.projectId",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "REVISION",
    jsonPath = ".status.syncedRevision",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Project revision the session's workspace has applied")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "POD",
    jsonPath = ".status.podName",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "MESSAGE",
    jsonPath = ".status.message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class PreviewSession extends CustomResource<PreviewSessionSpec, PreviewSessionStatus>
    implements Namespaced {

  /** API group of the resource. */
  public static final String GROUP = "preview.velocity.dev";

  /** API version of the resource within {@link #GROUP}. */
  public static final String VERSION = "v1alpha1";

  /** Kind of the resource. */
  public static final String KIND = "PreviewSession";

  /** Plural (the REST path segment) of the resource. */
  public static final String PLURAL = "previewsessions";

  /** Full name of the CustomResourceDefinition. */
  public static final String CRD_NAME = PLURAL + "." + GROUP;

  private static final long serialVersionUID = 1L;
}
