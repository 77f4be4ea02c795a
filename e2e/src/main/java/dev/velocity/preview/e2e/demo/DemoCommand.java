package dev.velocity.preview.e2e.demo;

import dev.velocity.preview.crds.PreviewSession;
import dev.velocity.preview.crds.SessionPhase;
import dev.velocity.preview.e2e.Args;
import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.check.Arrival;
import dev.velocity.preview.e2e.check.WorkspaceDiff;
import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.db.ProjectFiles;
import dev.velocity.preview.e2e.kubelet.RunningPod;
import dev.velocity.preview.e2e.session.PhaseWatcher;
import dev.velocity.preview.e2e.session.Sessions;
import dev.velocity.preview.e2e.stack.LocalStack;
import dev.velocity.preview.e2e.stack.StackCli;
import dev.velocity.preview.e2e.stack.StackOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code demo}: the whole flow once, narrated. A user and a realistic project are created through
 * the SQL functions, a PreviewSession is applied and each phase is printed as it happens, the
 * workspace is checked against the database, then edits are made through the SQL functions and each
 * is timed to the workspace and to the page the dev server serves. Ends with a summary.
 */
public final class DemoCommand {
  private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(30);

  private final Console console;
  private final List<String[]> summary = new ArrayList<>();
  private final ExecutorService pollers =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "page-poller");
            t.setDaemon(true);
            return t;
          });

  private DemoCommand(Console console) {
    this.console = console;
  }

  public static int run(Args args, Console console) throws Exception {
    int fileCount = args.integer("files", 300, 12, 100_000);
    StackOptions options = StackCli.options(args);
    args.requireAllRead();
    console.line("starting the local stack in " + options.dir());
    try (LocalStack stack = LocalStack.start(options, s -> console.line("  " + s))) {
      new DemoCommand(console).demo(stack, fileCount);
      console.line("stopping: deleting the session, then every part of the stack");
    }
    console.line(
        options.keep() ? "stopped; kept " + options.dir() : "stopped; removed " + options.dir());
    return 0;
  }

  private void demo(LocalStack stack, int fileCount) throws Exception {
    ProjectFiles files = stack.files();
    String ns = stack.options().namespace();
    long t = System.nanoTime();
    UUID user = files.createUser();
    UUID project = files.createProject(user, "demo-app");
    List<FileChangeRequest> app = DemoApp.files(fileCount, 42);
    for (int i = 0; i < app.size(); i += 100) {
      files.bulk(user, project, app.subList(i, Math.min(app.size(), i + 100)));
      console.progress(
          "writing the demo app through bulk_upsert_project_files",
          Math.min(app.size(), i + 100),
          app.size());
    }
    long revision = files.revision(project);
    Duration created = since(t);
    console.done(
        "project " + project + ": " + app.size() + " files, revision " + revision, created);
    row("project with " + app.size() + " files written", created);

    Sessions sessions = new Sessions(stack.client(), ns);
    console.line("applying PreviewSession " + ns + "/demo");
    PreviewSession running;
    try (PhaseWatcher watcher =
        PhaseWatcher.start(
            stack.client(),
            ns,
            "demo",
            (m, at) ->
                console.line(String.format(Locale.ROOT, "  %-26s +%s", m, Console.millis(at))))) {
      sessions.create("demo", Sessions.spec(project));
      running = sessions.awaitPhase("demo", SessionPhase.Running, Duration.ofMinutes(3));
      watcher.milestones().forEach((m, at) -> row("session " + m, at));
    }
    RunningPod pod = stack.kubelet().pod(ns, running.getStatus().getPodName()).orElseThrow();
    Path workspace = pod.hostPath("dev-server", "/workspace").orElseThrow();
    URI site = URI.create("http://127.0.0.1:" + pod.hostPort(3000).orElseThrow() + "/");
    console.line("workspace: " + workspace);
    console.line(
        "preview:   " + site + "   (in-cluster URL: " + running.getStatus().getUrl() + ")");
    WorkspaceDiff diff = WorkspaceDiff.compare(workspace, files.listCurrentFiles(user, project));
    console.line(
        "workspace vs list_current_files at revision "
            + running.getStatus().getSnapshot().getRevision()
            + ": "
            + diff);

    edit(
        files,
        user,
        project,
        workspace,
        site,
        "index.html",
        "html",
        DemoApp.indexHtml("Edited at " + java.time.LocalTime.now()));
    edit(
        files,
        user,
        project,
        workspace,
        site,
        "src/App.tsx",
        "typescript",
        "export function App() {\n  return <h1>Edited by the demo</h1>;\n}\n");
    edit(
        files,
        user,
        project,
        workspace,
        site,
        "src/components/Fresh.tsx",
        "typescript",
        "export const Fresh = () => <p>new file</p>;\n");
    deleteFile(files, user, project, workspace, site, "README.md");
    bulkEdit(files, user, project, workspace, site, app);

    diff = WorkspaceDiff.compare(workspace, files.listCurrentFiles(user, project));
    console.line(
        "workspace vs list_current_files at revision " + files.revision(project) + ": " + diff);
    printSummary();
    t = System.nanoTime();
    sessions.delete("demo");
    stack.kubelet().awaitGone(ns, running.getStatus().getPodName(), Duration.ofSeconds(30));
    console.done("session deleted; its processes are gone", since(t));
  }

  private void edit(
      ProjectFiles files,
      UUID user,
      UUID project,
      Path workspace,
      URI site,
      String path,
      String type,
      String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    files.upsert(user, project, path, content, type);
    long committed = System.nanoTime();
    report(
        "edit " + path,
        Arrival.onDisk(workspace.resolve(path), bytes, committed, ARRIVAL_TIMEOUT),
        Arrival.served(site.resolve(path), bytes, committed, ARRIVAL_TIMEOUT));
  }

  private void deleteFile(
      ProjectFiles files, UUID user, UUID project, Path workspace, URI site, String path) {
    files.delete(user, project, path);
    long committed = System.nanoTime();
    report(
        "delete " + path,
        Arrival.onDisk(workspace.resolve(path), null, committed, ARRIVAL_TIMEOUT),
        Arrival.served(site.resolve(path), null, committed, ARRIVAL_TIMEOUT));
  }

  private void bulkEdit(
      ProjectFiles files,
      UUID user,
      UUID project,
      Path workspace,
      URI site,
      List<FileChangeRequest> app) {
    List<FileChangeRequest> batch = new ArrayList<>();
    for (FileChangeRequest f : app.subList(0, Math.min(50, app.size()))) {
      if (!f.path().equals("README.md")) {
        batch.add(
            FileChangeRequest.upsert(f.path(), f.fileType(), f.content() + "\n/* bulk edit */\n"));
      }
    }
    files.bulk(user, project, batch);
    long committed = System.nanoTime();
    FileChangeRequest last = batch.get(batch.size() - 1);
    byte[] bytes = last.content().getBytes(StandardCharsets.UTF_8);
    report(
        "bulk of " + batch.size() + " files",
        Arrival.onDisk(workspace.resolve(last.path()), bytes, committed, ARRIVAL_TIMEOUT),
        Arrival.served(site.resolve(last.path()), bytes, committed, ARRIVAL_TIMEOUT));
  }

  /** Times the file and the page at once, from the same commit instant. */
  private void report(String what, Path file, URI page, byte[] expected, long committed) {
    CompletableFuture<Optional<Duration>> served =
        CompletableFuture.supplyAsync(
            () -> Arrival.served(page, expected, committed, ARRIVAL_TIMEOUT), pollers);
    Optional<Duration> disk = Arrival.onDisk(file, expected, committed, ARRIVAL_TIMEOUT);
    report(what, disk, served.join());
  }

  private void report(String what, Optional<Duration> disk, Optional<Duration> served) {
    String d = disk.map(Console::millis).orElse("not within 30 s");
    String s = served.map(Console::millis).orElse("not within 30 s");
    console.line(
        String.format(Locale.ROOT, "%-34s on disk in %-9s served in %s", what + ":", d, s));
    summary.add(new String[] {what + " → disk", d});
    summary.add(new String[] {what + " → served", s});
  }

  private void row(String what, Duration d) {
    summary.add(new String[] {what, Console.millis(d)});
  }

  private void printSummary() {
    console.print("");
    console.print("summary");
    console.print("  " + "-".repeat(60));
    for (String[] r : summary) {
      console.print(String.format(Locale.ROOT, "  %-46s %12s", r[0], r[1]));
    }
    console.print("  " + "-".repeat(60));
  }

  private static Duration since(long t) {
    return Duration.ofNanos(System.nanoTime() - t);
  }
}
