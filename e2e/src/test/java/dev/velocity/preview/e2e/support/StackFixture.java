package dev.velocity.preview.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.PreviewSessionSpec;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.e2e.check.WorkspaceDiff;
import dev.velocity.preview.e2e.db.CurrentFile;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.e2e.kubelet.RunningPod;
import dev.velocity.preview.e2e.session.Sessions;
import dev.velocity.preview.e2e.stack.BuiltJar;
import dev.velocity.preview.e2e.stack.LocalStack;
import dev.velocity.preview.e2e.stack.StackOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local stack for every E2E test class of the test JVM (starting one costs seconds; the whole
 * build must stay fast on two cores), stopped when the JVM exits. Each test class works in its own
 * namespace, so classes never see each other's sessions. Helpers: projects, sessions, and "the
 * workspace equals the database" waits.
 */
public final class StackFixture {
  private static final Logger LOG = LoggerFactory.getLogger(StackFixture.class);
  private static LocalStack shared;

  /** This class's namespace. */
  public final String ns;

  public final LocalStack stack;
  public final ProjectFiles files;
  public final Sessions sessions;

  private StackFixture(LocalStack stack, String ns) {
    this.stack = stack;
    this.ns = ns;
    this.files = stack.files();
    this.sessions = new Sessions(stack.client(), ns);
  }

  /** The JVM's stack (started on first use), seen from namespace {@code ns} (created here). */
  public static synchronized StackFixture in(String ns) {
    if (shared == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("e2e-stack-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      StackOptions options =
          StackOptions.in(dir, BuiltJar.AGENT.locate(System.getenv()))
              .withNamespace("preview")
              // every namespace: each test class has its own
              .withOperatorEnv(Map.of("WATCH_NAMESPACES", ""));
      shared = LocalStack.start(options, line -> LOG.info("stack: {}", line));
      LocalStack stack = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "e2e-stack-stop"));
    }
    shared
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(NonDeletingOperation::update);
    return new StackFixture(shared, ns);
  }

  /** Deletes every session of this class's namespace and waits until their pods are gone. */
  public void deleteAllSessions() {
    List<String> pods =
        stack.kubelet().pods().stream()
            .filter(p -> ns.equals(p.pod().getMetadata().getNamespace()))
            .map(p -> p.pod().getMetadata().getName())
            .toList();
    stack.client().resources(PreviewSession.class).inNamespace(ns).delete();
    for (String pod : pods) {
      stack.kubelet().awaitGone(ns, pod, Duration.ofSeconds(60));
    }
  }

  /** A project with {@code files}, owned by a new user. */
  public Project project(String name, List<FileChangeRequest> content) {
    UUID owner = files.createUser();
    UUID id = files.createProject(owner, name);
    for (int i = 0; i < content.size(); i += 500) {
      files.bulk(owner, id, content.subList(i, Math.min(content.size(), i + 500)));
    }
    return new Project(owner, id);
  }

  /** Creates a session for {@code project} and waits until it is Running. */
  public Session runningSession(String name, Project project) {
    return runningSession(name, Sessions.spec(project.id()));
  }

  public Session runningSession(String name, PreviewSessionSpec spec) {
    sessions.create(name, spec);
    PreviewSession s = sessions.awaitPhase(name, SessionPhase.Running, Duration.ofMinutes(2));
    return session(s);
  }

  /** The running session as the kubelet runs it. */
  public Session session(PreviewSession s) {
    RunningPod pod = stack.kubelet().pod(ns, s.getStatus().getPodName()).orElseThrow();
    return new Session(
        s.getMetadata().getName(),
        s,
        pod,
        pod.hostPath("sync", "/workspace").orElseThrow(),
        URI.create("http://127.0.0.1:" + pod.hostPort(3000).orElseThrow() + "/"));
  }

  /** Waits until the session's workspace equals the project's current files. */
  public void awaitConverged(Session session, Project project, Duration timeout) {
    Awaitility.await(session.name() + " converges to " + project.id())
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Map<String, CurrentFile> expected =
                  files.listCurrentFiles(project.owner(), project.id());
              WorkspaceDiff diff = WorkspaceDiff.compare(session.workspace(), expected);
              assertThat(diff.isEmpty()).as(diff.toString()).isTrue();
            });
  }

  /** GET of the session's dev server. */
  public static HttpResponse<String> get(Session s, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(s.site().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A project and its owner. */
  public record Project(UUID owner, UUID id) {}

  /** A running session: its CR when it became Running, its pod, workspace and dev server. */
  public record Session(
      String name, PreviewSession resource, RunningPod pod, Path workspace, URI site) {}
}
