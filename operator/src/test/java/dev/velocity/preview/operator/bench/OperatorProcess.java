package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as its own JVM, started through {@link Main} exactly as the container runs it
 * ({@code java -cp … Main --role=…}, configured only by environment variables), so its heap,
 * resident memory and CPU are its own. Metrics come from its {@code /metrics} port; a full GC is
 * forced with {@code jcmd <pid> GC.run}.
 */
final class OperatorProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final Process process;
  private final int metricsPort;
  private final Path log;

  private OperatorProcess(Process process, int metricsPort, Path log) {
    this.process = process;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /**
   * Starts {@code java <jvmOptions> -cp <this classpath> Main <args>} with {@code env} added to
   * this process's environment, output to {@code log}, and waits until {@code /readyz} answers 200.
   */
  static OperatorProcess start(
      List<String> jvmOptions, String[] args, Map<String, String> env, Path log, Duration wait)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.environment().put("METRICS_PORT", Integer.toString(port));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    OperatorProcess operator = new OperatorProcess(builder.start(), port, log);
    long deadline = System.nanoTime() + wait.toNanos();
    while (!operator.ready()) {
      if (!operator.process.isAlive() || System.nanoTime() > deadline) {
        operator.close();
        throw new IllegalStateException(
            "operator did not become ready; its output:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return operator;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean ready() {
    try {
      return get("/readyz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The Prometheus text exposition of the operator. */
  String metrics() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  /** The value of the first sample whose name and labels start with {@code series}. */
  static OptionalDouble sample(String metrics, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + "\\S*\\s+(\\S+)", Pattern.MULTILINE)
            .matcher(metrics);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  /** Heap in use right after a full GC ({@code jcmd GC.run}), in bytes. */
  long heapAfterFullGc() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()),
                "GC.run")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd GC.run failed: " + out);
    }
    return (long)
        sample(metrics(), "jvm_memory_used_bytes{area=\"heap\"}")
            .orElseThrow(() -> new IllegalStateException("no jvm_memory_used_bytes in /metrics"));
  }

  /** Resident set size from {@code /proc/<pid>/status}, in bytes. */
  long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** User + system CPU time of the process so far, from {@code /proc/<pid>/stat}. */
  Duration cpuTime() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
  }

  /** Lines of the operator's output that report an error or an out-of-memory exit. */
  List<String> problems() throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.contains(" ERROR ") || l.contains("OutOfMemoryError"))
        .toList();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM (the operator's shutdown hook runs, a JFR recording is written), then waits. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
