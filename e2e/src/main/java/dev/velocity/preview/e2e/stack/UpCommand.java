package dev.velocity.preview.e2e.stack;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.e2e.Args;
import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.demo.DemoApp;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code up}: starts the stack with a demo project, prints how to use it, narrates every session's
 * phase changes, and runs until Ctrl-C; then stops cleanly (no process left, the directory removed
 * unless {@code --keep} or {@code --dir}).
 */
public final class UpCommand {
  private UpCommand() {}

  public static int run(Args args, Console console) throws Exception {
    int fileCount = args.integer("files", 300, 12, 100_000);
    StackOptions options = StackCli.options(args);
    args.requireAllRead();
    console.line("starting the local stack in " + options.dir());
    LocalStack stack = LocalStack.start(options, s -> console.line("  " + s));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              console.line("stopping the local stack");
              StackInfo.clearPointer();
              stack.close();
              console.line(
                  options.keep()
                      ? "stopped; kept " + options.dir()
                      : "stopped; removed " + options.dir());
              stopped.countDown();
            },
            "preview-local-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);

    UUID owner = stack.files().createUser();
    UUID project = stack.files().createProject(owner, "demo-app");
    List<FileChangeRequest> app = DemoApp.files(fileCount, 42);
    for (int i = 0; i < app.size(); i += 200) {
      stack.files().bulk(owner, project, app.subList(i, Math.min(app.size(), i + 200)));
    }
    Path session = options.dir().resolve("session.yaml");
    Files.writeString(session, sessionYaml(project));
    LocalDatabase db = stack.database();
    StackInfo info =
        new StackInfo(
            options.dir(),
            db.jdbcUrl(),
            LocalDatabase.APP_ROLE,
            db.appPassword(),
            "postgres",
            stack.kubeconfig(),
            options.namespace(),
            stack.gatewayUrl());
    info.save();
    watchSessions(stack, console);
    console.print(usage(info, db, project, owner, app.size(), session));
    stopped.await();
    return 0;
  }

  private static String usage(
      StackInfo info, LocalDatabase db, UUID project, UUID owner, int files, Path session) {
    String jar = "java -jar e2e/target/preview-local.jar";
    return String.join(
        "\n",
        "",
        "The local stack is up. Press Ctrl-C to stop it.",
        "",
        "  PostgreSQL  "
            + info.jdbcUrl()
            + "  (user "
            + info.appUser()
            + ", password "
            + info.appPassword()
            + ")",
        "              psql \"postgresql://"
            + info.appUser()
            + ":"
            + info.appPassword()
            + "@localhost:"
            + db.port()
            + "/preview\"",
        "              as the database owner: psql \"postgresql://postgres@localhost:"
            + db.port()
            + "/preview\"",
        "  Kubernetes  export KUBECONFIG="
            + info.kubeconfig()
            + "   (mock API server; kubectl get previewsessions)",
        "  Gateway     " + info.gatewayUrl() + "   (/healthz, /readyz, /metrics)",
        "  Project     " + project + " (demo app, " + files + " files), owner " + owner,
        "",
        "Try:",
        "  " + jar + " apply " + session,
        "  " + jar + " edit " + project + " src/App.tsx ./App.tsx",
        "  psql ... -c \"begin; set local role authenticated; set local request.jwt.claims = '{\\\"sub\\\":\\\""
            + owner
            + "\\\"}'; select version, revision from upsert_project_file('"
            + project
            + "', 'hello.txt', 'hi', 'text'); commit;\"",
        "");
  }

  static String sessionYaml(UUID project) {
    return """
        apiVersion: preview.velocity.dev/v1alpha1
        kind: PreviewSession
        metadata:
          name: demo
        spec:
          projectId: %s
          image: node:20-alpine
          command: ["npm", "run", "dev"]
          port: 3000
          idleTimeoutSeconds: 3600
        """
        .formatted(project);
  }

  private static void watchSessions(LocalStack stack, Console console) {
    Map<String, String> phases = new ConcurrentHashMap<>();
    SharedIndexInformer<PreviewSession> informer =
        stack
            .client()
            .resources(PreviewSession.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PreviewSession s) {
                    onUpdate(null, s);
                  }

                  @Override
                  public void onUpdate(PreviewSession o, PreviewSession s) {
                    String name = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
                    String phase =
                        s.getStatus() == null ? "New" : String.valueOf(s.getStatus().getPhase());
                    if (!Objects.equals(phases.put(name, phase), phase)) {
                      String extra = "";
                      if ("Running".equals(phase) && s.getStatus().getPodName() != null) {
                        extra =
                            stack
                                .kubelet()
                                .pod(s.getMetadata().getNamespace(), s.getStatus().getPodName())
                                .flatMap(p -> p.hostPort(3000))
                                .map(port -> "  preview http://127.0.0.1:" + port + "/")
                                .orElse("");
                      }
                      String message =
                          s.getStatus() == null || s.getStatus().getMessage() == null
                              ? ""
                              : " — " + s.getStatus().getMessage();
                      console.line("session " + name + ": " + phase + message + extra);
                    }
                  }

                  @Override
                  public void onDelete(PreviewSession s, boolean unknown) {
                    String name = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
                    phases.remove(name);
                    console.line("session " + name + ": deleted");
                  }
                });
    Runtime.getRuntime().addShutdownHook(new Thread(informer::close));
  }
}
