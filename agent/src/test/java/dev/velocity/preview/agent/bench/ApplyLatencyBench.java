package dev.velocity.preview.agent.bench;

import dev.velocity.preview.agent.fs.TrackedPaths;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import dev.velocity.preview.agent.sync.EventApplier;
import dev.velocity.preview.agent.sync.EventParser;
import dev.velocity.preview.agent.sync.FakeGateway;
import dev.velocity.preview.agent.sync.SseEvent;
import dev.velocity.preview.agent.sync.SseReader;
import dev.velocity.preview.agent.sync.SyncAgent;
import dev.velocity.preview.agent.sync.SyncConfig;
import dev.velocity.preview.agent.sync.SyncMetrics;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.ProjectEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Event applied to disk after receipt, for 10 KB files.
 *
 * <ol>
 *   <li><b>pipeline</b>: the exact code path after the bytes arrive (SSE parse, JSON parse, hash
 *       check, temp file + rename through no-follow directory descriptors), timed per event with
 *       {@code System.nanoTime()} for exact percentiles;
 *   <li><b>live</b>: the sidecar in-process against the in-test gateway over HTTP, events paced one
 *       every 5 ms, read back from its own {@code /metrics} histogram.
 * </ol>
 *
 * <pre>java -cp ... dev.velocity.preview.agent.bench.ApplyLatencyBench WORKDIR EVENTS</pre>
 */
public final class ApplyLatencyBench {
  private ApplyLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]).toAbsolutePath();
    int events = Integer.parseInt(args[1]);
    HydrateBench.deleteTree(work);
    Files.createDirectories(work);
    pipeline(work.resolve("pipeline"), events);
    live(work.resolve("live"), Math.min(events, 2000));
  }

  static String content(Random r, int i) {
    StringBuilder sb = new StringBuilder(10_240);
    while (sb.length() < 10_240) {
      sb.append("export const v").append(i).append(" = ").append(r.nextInt()).append(";\n");
    }
    return sb.substring(0, 10_240);
  }

  static void pipeline(Path dir, int events) throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.createDirectories(ws.resolve(WorkspaceFs.AGENT_DIR));
    String project = UUID.randomUUID().toString();
    Random r = new Random(1);
    ByteArrayOutputStream sse = new ByteArrayOutputStream();
    for (int i = 1; i <= events; i++) {
      String c = content(r, i);
      ProjectEvent e =
          ProjectEvent.update(
              project,
              i,
              "src/components/c" + (i % 10) + "/File" + (i % 100) + ".tsx",
              "typescript",
              c,
              ContentHash.sha256Hex(c),
              i,
              Instant.now().toString());
      sse.writeBytes(
          ("id: " + i + "\nevent: file:update\ndata: " + EventJson.write(e) + "\n\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    long[] nanos = new long[events];
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      EventApplier applier =
          new EventApplier(
              fs, new TrackedPaths(ws.resolve(WorkspaceFs.AGENT_DIR)), new SyncMetrics(), 0);
      SseReader reader = new SseReader(new ByteArrayInputStream(sse.toByteArray()), 64 << 20);
      for (int i = 0; i < events; i++) {
        long start = System.nanoTime();
        SseEvent s = reader.next();
        ProjectEvent e = EventParser.parse(s.type(), s.data());
        if (applier.apply(e) != EventApplier.Outcome.APPLIED) {
          throw new IllegalStateException("not applied: " + e.revision());
        }
        nanos[i] = System.nanoTime() - start;
      }
    }
    int warm = events / 5;
    long[] steady = Arrays.copyOfRange(nanos, warm, events);
    Arrays.sort(steady);
    System.out.printf(
        "pipeline (%d events of 10 KB after %d warm-up): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms,"
            + " max %.3f ms; first event %.3f ms%n",
        steady.length,
        warm,
        pct(steady, 0.50),
        pct(steady, 0.90),
        pct(steady, 0.99),
        steady[steady.length - 1] / 1e6,
        nanos[0] / 1e6);
  }

  static double pct(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }

  static void live(Path dir, int events) throws Exception {
    UUID project = UUID.randomUUID();
    try (FakeGateway gateway = new FakeGateway(project)) {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("token"), "token-1");
      Map<String, String> env = new HashMap<>();
      env.put("REALTIME_URL", gateway.url());
      env.put("PROJECT_ID", project.toString());
      env.put("TOKEN_FILE", dir.resolve("token").toString());
      env.put("WORKSPACE_DIR", dir.resolve("ws").toString());
      env.put("STATE_DIR", dir.resolve("state").toString());
      env.put("HEALTH_PORT", "0");
      SyncAgent agent = new SyncAgent(SyncConfig.fromEnv(env));
      Thread t =
          new Thread(
              () -> {
                try {
                  agent.run();
                } catch (Exception e) {
                  e.printStackTrace();
                }
              });
      t.start();
      Random r = new Random(2);
      // the first connect hydrates an empty project through the gateway (no state yet)
      while (agent.metrics().resyncs() == 0) {
        Thread.sleep(20);
      }
      for (int i = 1; i <= events; i++) {
        gateway.update("src/c" + (i % 10) + "/File" + (i % 100) + ".tsx", content(r, i));
        Thread.sleep(5);
      }
      while (agent.metrics().appliedEvents() < events) {
        Thread.sleep(20);
      }
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + agent.healthPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      agent.close();
      t.join(10_000);
      double count = value(metrics, "preview_agent_apply_duration_seconds_count");
      System.out.printf(
          "live (%d events of 10 KB over HTTP, one every 5 ms): <= 0.5 ms %.1f%%, <= 1 ms %.1f%%,"
              + " <= 2.5 ms %.1f%%, <= 5 ms %.1f%%; mean %.3f ms%n",
          events,
          100
              * value(metrics, "preview_agent_apply_duration_seconds_bucket{le=\"5.0E-4\"}")
              / count,
          100 * value(metrics, "preview_agent_apply_duration_seconds_bucket{le=\"0.001\"}") / count,
          100
              * value(metrics, "preview_agent_apply_duration_seconds_bucket{le=\"0.0025\"}")
              / count,
          100 * value(metrics, "preview_agent_apply_duration_seconds_bucket{le=\"0.005\"}") / count,
          1000 * value(metrics, "preview_agent_apply_duration_seconds_sum") / count);
    }
  }

  static double value(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new IllegalStateException(name + " not in metrics");
  }
}
