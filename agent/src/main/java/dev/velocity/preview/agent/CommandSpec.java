package dev.velocity.preview.agent;

import java.util.List;

/**
 * A command's name, summary and environment variables, for {@code --help} and for mapping flags
 * ({@code --workspace-dir=/w} is {@code WORKSPACE_DIR=/w}).
 */
record CommandSpec(String name, String summary, List<Variable> variables) {

  /** One environment variable; {@code fallback} null means required. */
  record Variable(String name, String fallback, String description) {
    String flag() {
      return "--" + name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private static final List<Variable> LIMITS =
      List.of(
          new Variable("MAX_ENTRIES", "100000", "most entries a snapshot may hold"),
          new Variable("MAX_FILE_BYTES", "104857600", "largest inflated file (100 MiB)"),
          new Variable("MAX_TOTAL_BYTES", "1073741824", "largest inflated total (1 GiB)"),
          new Variable(
              "MAX_RATIO", "200", "largest compression ratio (per entry and overall, past 1 MiB)"),
          new Variable("DOWNLOAD_ATTEMPTS", "5", "download attempts before giving up"),
          new Variable("DOWNLOAD_TIMEOUT_SECONDS", "30", "connect and read timeout"),
          new Variable("DOWNLOAD_BACKOFF_MS", "200", "first retry delay (doubles, jittered)"));

  static final CommandSpec HYDRATE =
      new CommandSpec(
          "hydrate",
          "download, verify and safely extract the project snapshot into the workspace",
          concat(
              List.of(
                  new Variable("SNAPSHOT_URL", null, "presigned GET URL of the snapshot zip"),
                  new Variable("SNAPSHOT_SHA256", null, "hex SHA-256 of the zip"),
                  new Variable("SNAPSHOT_REVISION", null, "project revision the zip holds"),
                  new Variable("PROJECT_ID", null, "project UUID"),
                  new Variable("WORKSPACE_DIR", "/workspace", "workspace volume"),
                  new Variable("STATE_DIR", "/var/lib/preview", "where state.json is kept")),
              LIMITS));

  static final CommandSpec SYNC =
      new CommandSpec(
          "sync",
          "stream project events from the realtime gateway and apply them to the workspace",
          concat(
              List.of(
                  new Variable("REALTIME_URL", null, "gateway base URL, e.g. http://gateway:8080"),
                  new Variable("PROJECT_ID", null, "project UUID"),
                  new Variable("TOKEN_FILE", "/var/run/preview/token", "session token (re-read)"),
                  new Variable("WORKSPACE_DIR", "/workspace", "workspace volume"),
                  new Variable("STATE_DIR", "/var/lib/preview", "where state.json is kept"),
                  new Variable("HEALTH_PORT", "8081", "port of /healthz, /readyz, /metrics"),
                  new Variable("RECONNECT_BASE_MS", "250", "first reconnect delay"),
                  new Variable("RECONNECT_MAX_MS", "30000", "longest reconnect delay"),
                  new Variable("READ_TIMEOUT_SECONDS", "45", "reconnect after this long silent"),
                  new Variable("READY_MAX_LAG_SECONDS", "30", "/readyz fails above this lag"),
                  new Variable(
                      "ACK_INTERVAL_MS",
                      "5000",
                      "least time between acks (and between state.json writes, at most 5 s)"),
                  new Variable(
                      "MAX_EVENT_BYTES",
                      "heap/8, at most 64 MiB",
                      "larger events re-hydrate from a snapshot instead")),
              LIMITS));

  private static List<Variable> concat(List<Variable> a, List<Variable> b) {
    var all = new java.util.ArrayList<Variable>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: preview-agent ").append(name).append(" [--flag=value ...]\n\n");
    sb.append(summary).append(".\n\nEnvironment variables (or flags):\n");
    for (Variable v : variables) {
      sb.append(String.format("  %-26s %-28s %s%n", v.name(), v.flag(), v.description()));
      sb.append(
          String.format(
              "  %-26s %-28s %s%n",
              "", "", v.fallback() == null ? "(required)" : "default " + v.fallback()));
    }
    sb.append("\nExit codes:\n");
    for (ExitCode c : ExitCode.values()) {
      sb.append(String.format("  %d  %s%n", c.code(), c.description()));
    }
    return sb.toString();
  }
}
