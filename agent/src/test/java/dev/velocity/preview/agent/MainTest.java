package dev.velocity.preview.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command line, configuration validation and exit codes. */
class MainTest {
  static Map<String, String> hydrateEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("SNAPSHOT_URL", "http://127.0.0.1:9/x.zip");
    env.put("SNAPSHOT_SHA256", "a".repeat(64));
    env.put("SNAPSHOT_REVISION", "3");
    env.put("PROJECT_ID", "5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    env.put("WORKSPACE_DIR", "/nonexistent/ws");
    return env;
  }

  static void assertUsage(Map<String, String> env, String line, String... args) {
    AgentRun.Result r = AgentRun.inProcess(env, args);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(line + "\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void namesTheMissingOrBadVariable() {
    Map<String, String> env = hydrateEnv();
    env.remove("SNAPSHOT_URL");
    assertUsage(env, "preview-agent hydrate: SNAPSHOT_URL is required but not set", "hydrate");
    env = hydrateEnv();
    env.put("PROJECT_ID", "not-a-uuid");
    assertUsage(env, "preview-agent hydrate: PROJECT_ID is not a UUID: not-a-uuid", "hydrate");
    env = hydrateEnv();
    env.put("SNAPSHOT_SHA256", "xyz");
    assertUsage(
        env,
        "preview-agent hydrate: SNAPSHOT_SHA256 must be 64 hex digits (a SHA-256), got xyz",
        "hydrate");
    env = hydrateEnv();
    env.put("SNAPSHOT_REVISION", "-1");
    assertUsage(
        env,
        "preview-agent hydrate: SNAPSHOT_REVISION must be between 0 and 9223372036854775807, got -1",
        "hydrate");
    env = hydrateEnv();
    env.put("MAX_RATIO", "lots");
    assertUsage(env, "preview-agent hydrate: MAX_RATIO is not an integer: lots", "hydrate");
    env = hydrateEnv();
    env.put("SNAPSHOT_URL", "ftp://host/x.zip");
    assertUsage(
        env,
        "preview-agent hydrate: SNAPSHOT_URL must be an http(s) URL, got ftp://host/x.zip",
        "hydrate");
  }

  @Test
  void syncValidatesItsVariables() {
    Map<String, String> env = new HashMap<>();
    env.put("PROJECT_ID", "5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    assertUsage(env, "preview-agent sync: REALTIME_URL is required but not set", "sync");
    env.put("REALTIME_URL", "http://gateway:8080");
    env.put("HEALTH_PORT", "70000");
    assertUsage(
        env, "preview-agent sync: HEALTH_PORT must be between 0 and 65535, got 70000", "sync");
  }

  @Test
  void flagsOverrideTheEnvironment() {
    Map<String, String> env = hydrateEnv();
    env.remove("PROJECT_ID");
    assertUsage(
        env,
        "preview-agent hydrate: PROJECT_ID is not a UUID: nope",
        "hydrate",
        "--project-id=nope");
    assertUsage(
        hydrateEnv(),
        "preview-agent hydrate: unknown flag --bogus (see preview-agent hydrate --help)",
        "hydrate",
        "--bogus=1");
    assertUsage(
        hydrateEnv(),
        "preview-agent hydrate: unexpected argument 'stray' (flags look like --workspace-dir=/w)",
        "hydrate",
        "stray");
  }

  @Test
  void helpListsVariablesAndExitCodes() {
    AgentRun.Result r = AgentRun.inProcess(Map.of(), "hydrate", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("SNAPSHOT_URL", "--snapshot-url", "(required)", "MAX_RATIO", "default 200")
        .contains("  5  unsafe or corrupt archive", "  6  archive exceeds a limit");
    AgentRun.Result sync = AgentRun.inProcess(Map.of(), "sync", "--help");
    assertThat(sync.code()).isZero();
    assertThat(sync.out()).contains("REALTIME_URL", "TOKEN_FILE", "default /var/run/preview/token");
    AgentRun.Result none = AgentRun.inProcess(Map.of());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.out()).startsWith("usage: preview-agent <command>");
    AgentRun.Result unknown = AgentRun.inProcess(Map.of(), "explode");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo("preview-agent: unknown command 'explode' (expected hydrate or sync)\n");
  }
}
