package dev.velocity.preview.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.velocity.preview.agent.AgentRun;
import dev.velocity.preview.agent.Trees;
import dev.velocity.preview.agent.fs.StateFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync} against an in-test gateway over real HTTP. */
class SyncTest {
  static final UUID PROJECT = UUID.fromString("5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");

  @TempDir Path tmp;
  FakeGateway gateway;
  SyncAgent agent;
  Thread agentThread;

  @BeforeEach
  void start() throws IOException {
    gateway = new FakeGateway(PROJECT);
    Files.writeString(tmp.resolve("token"), "token-1\n");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (agent != null) {
      agent.close();
      assertThat(agent.awaitFinished(10, TimeUnit.SECONDS)).isTrue();
    }
    gateway.close();
  }

  Path ws() {
    return tmp.resolve("ws");
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("REALTIME_URL", gateway.url());
    env.put("PROJECT_ID", PROJECT.toString());
    env.put("TOKEN_FILE", tmp.resolve("token").toString());
    env.put("WORKSPACE_DIR", ws().toString());
    env.put("STATE_DIR", tmp.resolve("state").toString());
    env.put("HEALTH_PORT", "0");
    env.put("RECONNECT_BASE_MS", "20");
    env.put("RECONNECT_MAX_MS", "200");
    env.put("READ_TIMEOUT_SECONDS", "5");
    env.put("DOWNLOAD_BACKOFF_MS", "1");
    return env;
  }

  void hydrate() {
    FakeGateway.SnapshotAt s = gateway.snapshotNow();
    Map<String, String> env = env();
    env.put("SNAPSHOT_URL", s.url());
    env.put("SNAPSHOT_SHA256", s.sha256());
    env.put("SNAPSHOT_REVISION", Long.toString(s.revision()));
    AgentRun.Result r = AgentRun.inProcess(env, "hydrate");
    assertThat(r.code()).as(r.err()).isZero();
  }

  void startAgent() {
    startAgent(Map.of());
  }

  void startAgent(Map<String, String> extra) {
    Map<String, String> env = env();
    env.putAll(extra);
    agent = new SyncAgent(SyncConfig.fromEnv(env));
    agentThread =
        new Thread(
            () -> {
              try {
                agent.run();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            "sync-under-test");
    agentThread.start();
  }

  long stateRevision() throws IOException {
    return new StateFile(tmp.resolve("state")).read().map(StateFile.State::revision).orElse(-1L);
  }

  void awaitConverged() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                stateRevision() == gateway.revision() && Trees.files(ws()).equals(gateway.files()));
  }

  /** A burst of mixed events over nested paths (never a file where a directory must be). */
  static void burst(FakeGateway g, int events, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < events; i++) {
      String path = "d" + r.nextInt(8) + "/s" + r.nextInt(5) + "/f" + r.nextInt(12) + ".ts";
      int kind = r.nextInt(10);
      if (kind < 6) {
        g.update(path, "content of " + path + " #" + i + "\n".repeat(r.nextInt(3)));
      } else if (kind < 8) {
        g.delete(path);
      } else {
        Map<String, String> changes = new HashMap<>();
        for (int j = 0; j < 1 + r.nextInt(6); j++) {
          String p = "d" + r.nextInt(8) + "/s" + r.nextInt(5) + "/f" + r.nextInt(12) + ".ts";
          changes.put(p, r.nextInt(4) == 0 ? null : "bulk " + i + "/" + j);
        }
        g.bulk(changes);
      }
    }
  }

  @Test
  void appliesThousandsOfEventsInOrderAndAcks() throws Exception {
    gateway.update("README.md", "# demo");
    hydrate();
    burst(gateway, 1500, 1);
    startAgent();
    awaitConverged();
    burst(gateway, 1500, 2);
    awaitConverged();
    assertThat(gateway.revision()).isEqualTo(3001);
    assertThat(agent.metrics().appliedEvents()).isEqualTo(3000);
    assertThat(agent.metrics().gaps()).isZero();
    assertThat(agent.metrics().refusedPaths()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.acks.contains(3001L));
    // acks are rate limited: far fewer than events, never ahead of disk, never decreasing
    assertThat(gateway.acks.size()).isLessThan(300);
    assertThat(gateway.acks).isSorted();
    assertThat(gateway.connections).hasSize(1);
  }

  @Test
  void anIdleAgentDoesNotWakeUpButStillPersistsAndAcksTheNextEdit() throws Exception {
    gateway.update("README.md", "# demo");
    hydrate();
    startAgent();
    gateway.update("a.txt", "one");
    awaitConverged();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.acks.contains(gateway.revision()));
    Thread progress =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("agent-progress"))
            .findFirst()
            .orElseThrow();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Thread.sleep(300); // the last tick (the one that acked) has finished
    long before = mx.getThreadCpuTime(progress.getId());
    Thread.sleep(1500);
    // a fixed ticker ran 6 times in 1.5 s; nothing to persist or ack means no wake-up at all
    assertThat(mx.getThreadCpuTime(progress.getId())).isEqualTo(before);
    int acks = gateway.acks.size();
    gateway.update("b.txt", "two");
    awaitConverged();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.acks.contains(gateway.revision()));
    assertThat(gateway.acks).hasSize(acks + 1).isSorted();
  }

  @Test
  void aLongAckIntervalNeverHoldsBackPersisting() throws Exception {
    gateway.update("README.md", "# demo");
    hydrate();
    startAgent(Map.of("ACK_INTERVAL_MS", "600000"));
    for (String file : List.of("a.txt", "b.txt", "c.txt")) {
      gateway.update(file, file);
      // a tick waiting ten minutes for the next ack must not keep the new revision off disk
      // longer than the 5-s cap on the gap between ticks
      await()
          .atMost(Duration.ofSeconds(8))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> stateRevision() == gateway.revision());
    }
    assertThat(Trees.files(ws())).isEqualTo(gateway.files());
    assertThat(gateway.acks).hasSize(1);
  }

  @Test
  void killedMidBurstAndRestartedConvergesExactly() throws Exception {
    gateway.update("seed.txt", "seed");
    hydrate();
    Map<String, String> env = env();
    env.put("PATH", System.getenv("PATH"));
    Path log = tmp.resolve("sync.log");
    Process first = AgentRun.start(env, log, "sync");
    Process second = null;
    try {
      burst(gateway, 2000, 11);
      await().atMost(Duration.ofSeconds(60)).until(() -> stateRevision() > 100);
      first.destroyForcibly().waitFor();
      long atKill = stateRevision();
      burst(gateway, 500, 12);
      assertThat(atKill).isLessThan(gateway.revision());
      second = AgentRun.start(env, log, "sync");
      awaitConverged();
      assertThat(gateway.connections).hasSize(2);
      assertThat(gateway.connections.get(1)).isEqualTo("Bearer token-1 since=" + atKill);
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroy();
        assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
    }
    // SIGTERM persisted the final revision
    assertThat(stateRevision()).isEqualTo(gateway.revision());
  }

  @Test
  void missingStateRehydratesThroughTheGateway() throws Exception {
    burst(gateway, 200, 3);
    startAgent();
    awaitConverged();
    assertThat(agent.metrics().resyncs()).isEqualTo(1);
    burst(gateway, 50, 4);
    awaitConverged();
    assertThat(gateway.connections.get(0)).isEqualTo("Bearer token-1 since=200");
  }

  @Test
  void gapReconnectsFromTheLastAppliedRevision() throws Exception {
    hydrate();
    for (int i = 1; i <= 10; i++) {
      gateway.update("f" + i + ".txt", "v" + i);
    }
    gateway.skipOnce.add(5L);
    startAgent();
    awaitConverged();
    assertThat(agent.metrics().gaps()).isEqualTo(1);
    assertThat(gateway.connections)
        .containsExactly("Bearer token-1 since=0", "Bearer token-1 since=4");
  }

  @Test
  void duplicatesAreSkippedWithoutReconnecting() throws Exception {
    hydrate();
    gateway.update("a.txt", "1");
    gateway.update("a.txt", "2");
    gateway.update("a.txt", "3");
    gateway.repeatOnce.add(2L);
    startAgent();
    awaitConverged();
    assertThat(Files.readString(ws().resolve("a.txt"))).isEqualTo("3");
    assertThat(agent.metrics().appliedEvents()).isEqualTo(3);
    assertThat(agent.metrics().render(true, true))
        .contains("preview_agent_events_duplicate_total 1\n");
    assertThat(gateway.connections).containsExactly("Bearer token-1 since=0");
  }

  @Test
  void anEventLargerThanTheLimitIsReplacedByARehydration() throws Exception {
    hydrate();
    gateway.update("small.txt", "small");
    gateway.update("big.txt", "x".repeat(5000));
    gateway.update("after.txt", "after");
    startAgent(Map.of("MAX_EVENT_BYTES", "2048"));
    awaitConverged();
    assertThat(agent.metrics().resyncs()).isEqualTo(1);
    assertThat(Files.readString(ws().resolve("big.txt"))).hasSize(5000);
    // the re-hydration writes state.json before the agent reconnects from it
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(gateway.connections)
                    .containsExactly("Bearer token-1 since=0", "Bearer token-1 since=3"));
  }

  @Test
  void hashMismatchWritesNothingAndReconnects() throws Exception {
    hydrate();
    gateway.update("a.txt", "first");
    gateway.update("b.txt", "second");
    gateway.update("c.txt", "third");
    gateway.corruptOnce.add(2L);
    startAgent();
    awaitConverged();
    assertThat(agent.metrics().hashMismatches()).isEqualTo(1);
    assertThat(gateway.connections)
        .containsExactly("Bearer token-1 since=0", "Bearer token-1 since=1");
  }

  @Test
  void anEventCorruptEveryTimeIsReplacedByASnapshot() throws Exception {
    hydrate();
    gateway.update("a.txt", "first");
    gateway.update("b.txt", "second");
    gateway.corruptAlways.add(2L);
    startAgent();
    gateway.update("c.txt", "third");

    awaitConverged();

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.metrics().resyncs() == 1);
    assertThat(agent.metrics().hashMismatches()).isEqualTo(2);
    assertThat(Files.readString(ws().resolve("b.txt"))).isEqualTo("second");
  }

  @Test
  void tokenRotationDuringAStreamLosesNothing() throws Exception {
    hydrate();
    startAgent();
    burst(gateway, 300, 5);
    awaitConverged();
    // kubelet rotates the mounted token; the gateway's old token expires with a reauth event
    Files.writeString(tmp.resolve("token"), "token-2\n");
    gateway.validToken = "token-2";
    burst(gateway, 100, 6);
    gateway.reauthAll();
    burst(gateway, 300, 7);
    awaitConverged();
    assertThat(gateway.connections.get(gateway.connections.size() - 1))
        .startsWith("Bearer token-2 since=");
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.acks.contains(gateway.revision()));
  }

  @Test
  void unauthorizedConnectRereadsTheTokenFile() throws Exception {
    hydrate();
    gateway.validToken = "token-2";
    gateway.update("a.txt", "a");
    startAgent();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.unauthorized >= 2);
    assertThat(stateRevision()).isZero();
    Files.writeString(tmp.resolve("token"), "token-2");
    awaitConverged();
    assertThat(gateway.connections).containsExactly("Bearer token-2 since=0");
  }

  @Test
  void refusesPathsThroughPlantedSymlinksAndKeepsRunning() throws Exception {
    gateway.update("src/app.ts", "app");
    hydrate();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    // the dev server (or anything in the pod) replaces a directory with a symlink
    Files.createSymbolicLink(ws().resolve("evil"), outside);
    Files.createDirectories(ws().resolve("src/gen"));
    Files.createSymbolicLink(ws().resolve("src/gen/out"), outside);
    startAgent();
    gateway.rawUpdate("evil/pwned.txt", "owned");
    gateway.rawUpdate("src/gen/out/deep/pwned.txt", "owned");
    gateway.rawUpdate("../escape.txt", "owned");
    gateway.rawUpdate(".preview-agent/index", "../../etc/passwd");
    gateway.update("src/app.ts", "app v2");
    gateway.delete("evil/anything.txt");
    await().atMost(Duration.ofSeconds(20)).until(() -> stateRevision() == gateway.revision());
    assertThat(agent.metrics().refusedPaths()).isEqualTo(5);
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
    assertThat(tmp.resolve("escape.txt")).doesNotExist();
    assertThat(Files.readString(ws().resolve("src/app.ts"))).isEqualTo("app v2");
    assertThat(Files.isSymbolicLink(ws().resolve("evil"))).isTrue();
    assertThat(Files.readString(ws().resolve(".preview-agent/index"))).isEqualTo("src/app.ts\n");
  }

  @Test
  void anEventWithoutItsBytesIsFetchedThroughASnapshotNotRetriedForever() throws Exception {
    gateway.update("src/app.ts", "app v1");
    hydrate();
    startAgent();
    gateway.updateWithoutContent("public/logo.png", "\u0089PNG pretend image bytes");
    gateway.update("src/app.ts", "app v2");

    awaitConverged();

    // the counter moves just after the workspace does
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.metrics().resyncs() == 1);
    assertThat(Files.readString(ws().resolve("public/logo.png")))
        .isEqualTo("\u0089PNG pretend image bytes");
    assertThat(Files.readString(ws().resolve("src/app.ts"))).isEqualTo("app v2");
  }

  @Test
  void resyncRehydratesAndContinues() throws Exception {
    gateway.update("old.txt", "will be deleted while the agent is away");
    gateway.update("keep.txt", "v1");
    hydrate();
    Files.createDirectories(ws().resolve("node_modules/x"));
    Files.writeString(ws().resolve("node_modules/x/index.js"), "installed by the dev server");
    gateway.delete("old.txt");
    burst(gateway, 100, 8);
    gateway.retainedFrom = 50;
    startAgent();
    await().atMost(Duration.ofSeconds(20)).until(() -> agent.metrics().resyncs() == 1);
    burst(gateway, 20, 9);
    Map<String, String> expected = new java.util.TreeMap<>(gateway.files());
    expected.put("node_modules/x/index.js", "installed by the dev server");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> stateRevision() == gateway.revision() && Trees.files(ws()).equals(expected));
    assertThat(ws().resolve("old.txt")).doesNotExist();
    assertThat(gateway.connections.get(0)).isEqualTo("Bearer token-1 since=2");
    assertThat(gateway.connections.get(1)).isEqualTo("Bearer token-1 since=103");
  }

  @Test
  void servesHealthReadinessAndMetrics() throws Exception {
    hydrate();
    gateway.update("a.txt", "a");
    startAgent();
    awaitConverged();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + agent.healthPort();
    HttpResponse<String> healthz =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(healthz.statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 200);
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("preview_agent_events_applied_total 1\n")
        .contains("preview_agent_refused_paths_total 0\n")
        .contains("preview_agent_applied_revision 1.0\n")
        .contains("preview_agent_connected 1.0\n")
        .contains("preview_agent_apply_duration_seconds_count 1\n");
    gateway.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                      HttpResponse.BodyHandlers.ofString());
              return r.statusCode() == 503 && r.body().equals("not connected to the gateway\n");
            });
    assertThat(agent.metrics().reconnects()).isPositive();
  }
}
