package dev.velocity.preview.operator.reconciler;

import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.DEV_SERVER_CONTAINER;
import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.HYDRATE_CONTAINER;
import static dev.velocity.preview.operator.reconciler.PreviewSessionResources.SYNC_CONTAINER;

import dev.velocity.preview.crds.EnvEntry;
import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a session's pod from its spec, its snapshot and the operator's settings: init container
 * {@code hydrate}, the dev server, sidecar {@code sync}. Pure: same input, same pod.
 */
public final class SessionPodBuilder {

  /** Where the project's files live in every container. */
  public static final String WORKSPACE_DIR = "/workspace";

  /** Where the agent keeps its state (the applied revision). */
  public static final String STATE_DIR = "/var/lib/preview";

  /** Where the session Secret's token is mounted. */
  public static final String TOKEN_DIR = "/var/run/preview";

  /** The token file the sync agent reads on every (re)connect. */
  public static final String TOKEN_FILE =
      TOKEN_DIR + "/" + PreviewSessionResources.SECRET_TOKEN_KEY;

  /** The sync agent's health port, unless the dev server uses it. */
  public static final int SYNC_HEALTH_PORT = 8081;

  static final String WORKSPACE_VOLUME = "workspace";
  static final String STATE_VOLUME = "state";
  static final String TMP_VOLUME = "tmp";
  static final String TOKEN_VOLUME = "session-token";
  private static final String STATE_SIZE_LIMIT = "16Mi";
  private static final String TMP_SIZE_LIMIT = "256Mi";
  private static final int TOKEN_FILE_MODE = 0440;

  private final SessionPodSettings settings;

  public SessionPodBuilder(SessionPodSettings settings) {
    this.settings = settings;
  }

  /** The desired pod of {@code session}, hydrating from {@code snapshot}. */
  public Pod build(PreviewSession session, SessionSnapshot snapshot) {
    PodSpec spec = podSpec(session, snapshot);
    return new PodBuilder()
        .withMetadata(
            OwnedObjects.metadata(
                session,
                PreviewSessionResources.podName(session),
                Map.of(PreviewSessionResources.SPEC_HASH_ANNOTATION, SpecHash.of(spec))))
        .withSpec(spec)
        .build();
  }

  PodSpec podSpec(PreviewSession session, SessionSnapshot snapshot) {
    return new PodSpecBuilder()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withRestartPolicy("Always")
        .withTerminationGracePeriodSeconds(10L)
        .withSecurityContext(RestrictedSecurity.pod(settings.runAsUser()))
        .withInitContainers(hydrateContainer(session, snapshot))
        .withContainers(devServerContainer(session), syncContainer(session))
        .withVolumes(volumes(session))
        .build();
  }

  Container hydrateContainer(PreviewSession session, SessionSnapshot snapshot) {
    return new ContainerBuilder()
        .withName(HYDRATE_CONTAINER)
        .withImage(settings.agentImage())
        .withArgs("hydrate")
        .withEnv(
            new EnvVarBuilder()
                .withName("SNAPSHOT_URL")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(PreviewSessionResources.secretName(session))
                .withKey(PreviewSessionResources.SECRET_SNAPSHOT_URL_KEY)
                .withOptional(false)
                .endSecretKeyRef()
                .endValueFrom()
                .build(),
            env("SNAPSHOT_SHA256", snapshot.sha256()),
            env("SNAPSHOT_REVISION", Long.toString(snapshot.revision())),
            env("PROJECT_ID", session.getSpec().getProjectId()),
            env("WORKSPACE_DIR", WORKSPACE_DIR),
            env("STATE_DIR", STATE_DIR))
        .withVolumeMounts(
            mount(WORKSPACE_VOLUME, WORKSPACE_DIR, false),
            mount(STATE_VOLUME, STATE_DIR, false),
            mount(TMP_VOLUME, "/tmp", false))
        .withResources(agentResources())
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(RestrictedSecurity.container(true))
        .build();
  }

  Container devServerContainer(PreviewSession session) {
    PreviewSessionSpec spec = session.getSpec();
    int port = port(spec);
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(DEV_SERVER_CONTAINER)
            .withImage(spec.getImage())
            .withCommand(spec.getCommand())
            .withArgs(spec.getArgs())
            .withWorkingDir(WORKSPACE_DIR)
            .withEnv(devServerEnv(spec, port))
            .withResources(spec.getResources())
            .withVolumeMounts(mount(WORKSPACE_VOLUME, WORKSPACE_DIR, false))
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            // an arbitrary dev-server image writes caches under $HOME and elsewhere
            .withSecurityContext(RestrictedSecurity.container(false));
    if (port > 0) {
      container
          .addNewPort()
          .withName("http")
          .withContainerPort(port)
          .withProtocol("TCP")
          .endPort()
          .withReadinessProbe(
              new ProbeBuilder()
                  .withNewTcpSocket()
                  .withPort(new IntOrString(port))
                  .endTcpSocket()
                  .withPeriodSeconds(2)
                  .withFailureThreshold(3)
                  .withTimeoutSeconds(1)
                  .build());
    }
    return container.build();
  }

  Container syncContainer(PreviewSession session) {
    int healthPort = syncHealthPort(session.getSpec());
    return new ContainerBuilder()
        .withName(SYNC_CONTAINER)
        .withImage(settings.agentImage())
        .withArgs("sync")
        .withEnv(
            env("REALTIME_URL", settings.realtimeUrl()),
            env("PROJECT_ID", session.getSpec().getProjectId()),
            env("TOKEN_FILE", TOKEN_FILE),
            env("WORKSPACE_DIR", WORKSPACE_DIR),
            env("STATE_DIR", STATE_DIR),
            env("HEALTH_PORT", Integer.toString(healthPort)))
        .addNewPort()
        .withName("sync-health")
        .withContainerPort(healthPort)
        .withProtocol("TCP")
        .endPort()
        .withReadinessProbe(httpProbe("/readyz", healthPort, 2, 3))
        .withLivenessProbe(httpProbe("/healthz", healthPort, 10, 6))
        .withVolumeMounts(
            mount(WORKSPACE_VOLUME, WORKSPACE_DIR, false),
            mount(STATE_VOLUME, STATE_DIR, false),
            mount(TOKEN_VOLUME, TOKEN_DIR, true),
            mount(TMP_VOLUME, "/tmp", false))
        .withResources(agentResources())
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(RestrictedSecurity.container(true))
        .build();
  }

  List<Volume> volumes(PreviewSession session) {
    Quantity workspaceLimit = session.getSpec().getWorkspaceSizeLimit();
    if (workspaceLimit == null) {
      workspaceLimit = new Quantity(PreviewSessionSpec.DEFAULT_WORKSPACE_SIZE_LIMIT);
    }
    return List.of(
        emptyDir(WORKSPACE_VOLUME, workspaceLimit),
        emptyDir(STATE_VOLUME, new Quantity(STATE_SIZE_LIMIT)),
        emptyDir(TMP_VOLUME, new Quantity(TMP_SIZE_LIMIT)),
        new VolumeBuilder()
            .withName(TOKEN_VOLUME)
            .withNewSecret()
            .withSecretName(PreviewSessionResources.secretName(session))
            .addNewItem()
            .withKey(PreviewSessionResources.SECRET_TOKEN_KEY)
            .withPath(PreviewSessionResources.SECRET_TOKEN_KEY)
            .endItem()
            .withDefaultMode(TOKEN_FILE_MODE)
            .withOptional(false)
            .endSecret()
            .build());
  }

  /** The dev server's port; 0 when none is exposed. The schema defaults it to 3000. */
  static int port(PreviewSessionSpec spec) {
    return spec.getPort() == null ? PreviewSessionSpec.DEFAULT_PORT : spec.getPort();
  }

  static int syncHealthPort(PreviewSessionSpec spec) {
    return port(spec) == SYNC_HEALTH_PORT ? SYNC_HEALTH_PORT + 1 : SYNC_HEALTH_PORT;
  }

  private static List<EnvVar> devServerEnv(PreviewSessionSpec spec, int port) {
    List<EnvVar> env = new ArrayList<>();
    boolean portSet = false;
    for (EnvEntry entry : spec.getEnv()) {
      env.add(env(entry.getName(), entry.getValue() == null ? "" : entry.getValue()));
      portSet |= "PORT".equals(entry.getName());
    }
    if (port > 0 && !portSet) {
      env.add(env("PORT", Integer.toString(port)));
    }
    return env;
  }

  private static ResourceRequirements agentResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("50m"))
        .addToRequests("memory", new Quantity("96Mi"))
        .addToLimits("memory", new Quantity("256Mi"))
        .build();
  }

  private static Probe httpProbe(String path, int port, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withFailureThreshold(failures)
        .withTimeoutSeconds(1)
        .build();
  }

  private static Volume emptyDir(String name, Quantity sizeLimit) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withSizeLimit(sizeLimit)
        .endEmptyDir()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
