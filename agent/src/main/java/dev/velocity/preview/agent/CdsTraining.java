package dev.velocity.preview.agent;

import com.sun.net.httpserver.HttpServer;
import dev.velocity.preview.agent.fs.TrackedPaths;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import dev.velocity.preview.agent.hydrate.AgentDir;
import dev.velocity.preview.agent.hydrate.HydrateConfig;
import dev.velocity.preview.agent.hydrate.Hydrator;
import dev.velocity.preview.agent.sync.EventApplier;
import dev.velocity.preview.agent.sync.EventParser;
import dev.velocity.preview.agent.sync.SseEvent;
import dev.velocity.preview.agent.sync.SseReader;
import dev.velocity.preview.agent.sync.SyncMetrics;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.FileChange;
import dev.velocity.preview.protocol.ProjectEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The {@code cds-training} command: runs a real hydration (over loopback HTTP) and applies a few
 * sync events in a temp directory, so that {@code java -XX:ArchiveClassesAtExit=agent.jsa -jar
 * preview-agent.jar cds-training} records the classes both commands load. The image build and
 * {@code mvn package} run it; the archive then cuts the agent's start time.
 */
final class CdsTraining {
  private CdsTraining() {}

  static int run() throws IOException {
    Path dir = Files.createTempDirectory("preview-agent-cds");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    try {
      byte[] zip = zip();
      server.createContext(
          "/s.zip",
          ex -> {
            ex.sendResponseHeaders(200, zip.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(zip);
            }
          });
      server.start();
      UUID project = UUID.randomUUID();
      Map<String, String> env = new HashMap<>();
      env.put("SNAPSHOT_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/s.zip");
      env.put("SNAPSHOT_SHA256", ContentHash.sha256Hex(zip));
      env.put("SNAPSHOT_REVISION", "1");
      env.put("PROJECT_ID", project.toString());
      env.put("WORKSPACE_DIR", dir.resolve("ws").toString());
      env.put("STATE_DIR", dir.resolve("state").toString());
      new Hydrator(HydrateConfig.fromEnv(env)).run(false);
      applyEvents(dir.resolve("ws"), project);
      return ExitCode.OK.code();
    } finally {
      server.stop(0);
      AgentDir.deleteRecursively(dir);
    }
  }

  private static byte[] zip() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (int i = 0; i < 20; i++) {
        out.putNextEntry(new ZipEntry("src/dir" + (i % 3) + "/file" + i + ".ts"));
        out.write(("export const x" + i + " = " + i + ";\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static void applyEvents(Path ws, UUID project) throws IOException {
    String p = project.toString();
    String t = java.time.Instant.now().toString();
    String a = "export const a = 1;\n";
    List<ProjectEvent> events =
        List.of(
            ProjectEvent.update(p, 2, "src/a.ts", "typescript", a, ContentHash.sha256Hex(a), 1, t),
            ProjectEvent.bulk(
                p,
                3,
                List.of(
                    new FileChange(
                        FileChange.UPSERT,
                        "src/b.ts",
                        "typescript",
                        a,
                        ContentHash.sha256Hex(a),
                        1),
                    new FileChange(FileChange.DELETE, "src/a.ts", null, null, null, 2)),
                t),
            ProjectEvent.delete(p, 4, "src/b.ts", 2, t));
    StringBuilder sse = new StringBuilder(": keepalive\n\n");
    for (ProjectEvent e : events) {
      sse.append("id: ").append(e.revision()).append("\nevent: ").append(e.type());
      sse.append("\ndata: ").append(EventJson.write(e)).append("\n\n");
    }
    SseReader reader =
        new SseReader(
            new ByteArrayInputStream(sse.toString().getBytes(StandardCharsets.UTF_8)), 1 << 20);
    try (WorkspaceFs fs = new WorkspaceFs(ws)) {
      EventApplier applier =
          new EventApplier(
              fs, new TrackedPaths(ws.resolve(WorkspaceFs.AGENT_DIR)), new SyncMetrics(), 1);
      SseEvent e;
      while ((e = reader.next()) != null) {
        applier.apply(EventParser.parse(e.type(), e.data()));
      }
    }
  }
}
