package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;

/**
 * The session Secret: token and presigned snapshot URL. Created once, then replaced only by the
 * rotation rule ({@link CredentialRotation}) — never re-minted just because a reconciliation ran.
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = PreviewSessionResources.MANAGED_SELECTOR))
public final class SessionSecretDependentResource
    extends CRUDKubernetesDependentResource<Secret, PreviewSession> {

  /** Name in the workflow. */
  public static final String NAME = "secret";

  private final SessionCredentials credentials;
  private final Clock clock;

  public SessionSecretDependentResource(SessionCredentials credentials, Clock clock) {
    super(Secret.class, NAME);
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  protected Secret desired(PreviewSession session, Context<PreviewSession> context) {
    SessionSnapshot snapshot = SessionContext.of(context).requireSnapshot();
    IssuedCredentials issued;
    try {
      issued = credentials.issue(session, snapshot);
    } catch (SessionFailureException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SessionFailureException(
          SessionFailure.transientFailure(
              SessionReasons.CREDENTIALS_FAILED,
              "could not issue session credentials: " + e.getMessage()),
          e);
    }
    return SessionSecretBuilder.build(session, snapshot, issued);
  }

  @Override
  public Matcher.Result<Secret> match(
      Secret actual, PreviewSession session, Context<PreviewSession> context) {
    SessionSnapshot snapshot = SessionContext.of(context).requireSnapshot();
    return Matcher.Result.nonComputed(!CredentialRotation.isDue(actual, snapshot, clock.instant()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      PreviewSession session, Context<PreviewSession> context) {
    return new ResourceID(
        PreviewSessionResources.secretName(session), session.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(Secret desired, PreviewSession session) {
    // SessionSecretBuilder already sets the controller reference
  }
}
