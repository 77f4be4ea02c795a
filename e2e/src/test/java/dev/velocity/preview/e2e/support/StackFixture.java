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
import dev.velocity.preview.e2e.stack.AgentJar;
import dev.velocity.preview.e2e.stack.LocalStack;
import dev.velocity.preview.e2e.stack.StackOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local stack for a whole E2E test class (starting one costs seconds), with the helpers every
 * E2E test needs: projects, sessions, and "the workspace equals the database" waits.
 */
public final class StackFixture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StackFixture.class);
  public static final String NS = "preview";

  public final LocalStack stack;
  public final ProjectFiles files;
  public final Sessions sessions;

  private StackFixture(LocalStack stack) {
    this.stack = stack;
    this.files = stack.files();
    this.sessions = new Sessions(stack.client(), NS);
  }

  public static StackFixture start(Path dir, Map<String, String> operatorEnv) {
    StackOptions options =
        StackOptions.in(dir, AgentJar.locate(System.getenv()))
            .withNamespace(NS)
            .withOperatorEnv(operatorEnv);
    return new StackFixture(LocalStack.start(options, line -> LOG.info("stack: {}", line)));
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
    RunningPod pod = stack.kubelet().pod(NS, s.getStatus().getPodName()).orElseThrow();
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

  @Override
  public void close() {
    stack.close();
  }

  /** A project and its owner. */
  public record Project(UUID owner, UUID id) {}

  /** A running session: its CR when it became Running, its pod, workspace and dev server. */
  public record Session(
      String name, PreviewSession resource, RunningPod pod, Path workspace, URI site) {}
}
