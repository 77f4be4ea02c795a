package dev.velocity.preview.e2e.kubelet;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A container as a host process: the resolved environment only (plus {@code PATH}, {@code LANG} and
 * {@code JAVA_HOME} of this machine, like an image's own env), the mapped working directory, stdout
 * and stderr appended to the container's log file, stdin closed. Stopping kills the whole process
 * tree: the descendants are collected before the parent dies, since an orphan is re-parented and
 * could no longer be found.
 */
final class HostProcess implements RunningContainer {
  private static final List<String> INHERITED = List.of("PATH", "LANG", "LC_ALL", "JAVA_HOME");

  private final Process process;
  private final CompletableFuture<Integer> exited;

  private HostProcess(Process process) {
    this.process = process;
    this.exited = process.onExit().thenApply(Process::exitValue);
  }

  static HostProcess start(List<String> argv, Map<String, String> env, Path workDir, Path log)
      throws IOException {
    if (argv.isEmpty()) {
      throw new IOException("no command: the container has neither command nor args");
    }
    Files.createDirectories(workDir);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> penv = pb.environment();
    Map<String, String> host = Map.copyOf(penv);
    penv.clear();
    for (String name : INHERITED) {
      if (host.containsKey(name)) {
        penv.put(name, host.get(name));
      }
    }
    penv.putAll(env);
    pb.directory(workDir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new HostProcess(pb.start());
  }

  @Override
  public String id() {
    return "process://" + process.pid();
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public void terminate(Duration grace) {
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          p.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      } catch (Exception e) {
        // still alive after the grace period: killed below
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitAll(tree);
  }

  @Override
  public void kill() {
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroyForcibly);
    awaitAll(tree);
  }

  private List<ProcessHandle> tree() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    return tree;
  }

  private static void awaitAll(List<ProcessHandle> tree) {
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // a process that survives SIGKILL for 5 s is beyond our reach; reported by the caller
      }
    }
  }
}
