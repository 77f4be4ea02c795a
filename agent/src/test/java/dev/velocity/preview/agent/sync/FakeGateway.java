package dev.velocity.preview.agent.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.FileChange;
import dev.velocity.preview.protocol.ProjectEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An in-test realtime gateway speaking DESIGN.md §6 over real HTTP: a project whose files and event
 * log it keeps (its "database"), {@code GET …/events} with Bearer auth and {@code Last-Event-ID}
 * (replay, then live, keepalive comments, {@code resync} outside the retained log, {@code reauth}
 * on demand), {@code POST …/acks} and {@code POST …/snapshot}. Faults can be injected: skip a
 * revision once (a gap), corrupt a hash once.
 */
public final class FakeGateway implements AutoCloseable {
  final UUID project;
  private final HttpServer server;
  private final Object lock = new Object();
  private final List<String> frames = new ArrayList<>();
  private final TreeMap<String, String> files = new TreeMap<>();
  private final Map<String, Integer> versions = new HashMap<>();
  private final Map<String, byte[]> snapshots = new ConcurrentHashMap<>();
  final List<Long> acks = new CopyOnWriteArrayList<>();
  final List<String> connections = new CopyOnWriteArrayList<>();
  final Set<Long> skipOnce = ConcurrentHashMap.newKeySet();
  final Set<Long> corruptOnce = ConcurrentHashMap.newKeySet();
  final Set<Long> corruptAlways = ConcurrentHashMap.newKeySet();
  final Set<Long> repeatOnce = ConcurrentHashMap.newKeySet();
  volatile String validToken = "token-1";
  volatile long retainedFrom;
  volatile int unauthorized;

  /** How long a stream waits for a new frame before it writes a keepalive comment. */
  public volatile long keepaliveMillis = 200;

  private int reauthGeneration;

  public FakeGateway(UUID project) throws IOException {
    this.project = project;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    String base = "/v1/projects/" + project;
    server.createContext(base + "/events", this::events);
    server.createContext(base + "/acks", this::ack);
    server.createContext(base + "/snapshot", this::snapshot);
    server.createContext("/snapshots/", this::download);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public long revision() {
    synchronized (lock) {
      return frames.size();
    }
  }

  public Map<String, String> files() {
    synchronized (lock) {
      return new TreeMap<>(files);
    }
  }

  public void update(String path, String content) {
    update(path, content, "text", content);
  }

  private void update(String path, String content, String fileType, String sent) {
    synchronized (lock) {
      int v = versions.merge(path, 1, Integer::sum);
      files.put(path, content);
      long rev = frames.size() + 1;
      append(
          ProjectEvent.update(
              project.toString(),
              rev,
              path,
              fileType,
              sent,
              ContentHash.sha256Hex(content),
              v,
              Instant.now().toString()));
    }
  }

  public void delete(String path) {
    synchronized (lock) {
      int v = versions.merge(path, 1, Integer::sum);
      files.remove(path);
      long rev = frames.size() + 1;
      append(ProjectEvent.delete(project.toString(), rev, path, v, Instant.now().toString()));
    }
  }

  /** One bulk revision; {@code content} null means delete. */
  public void bulk(Map<String, String> changes) {
    synchronized (lock) {
      List<FileChange> list = new ArrayList<>();
      for (Map.Entry<String, String> c : new TreeMap<>(changes).entrySet()) {
        int v = versions.merge(c.getKey(), 1, Integer::sum);
        if (c.getValue() == null) {
          files.remove(c.getKey());
          list.add(new FileChange(FileChange.DELETE, c.getKey(), null, null, null, v));
        } else {
          files.put(c.getKey(), c.getValue());
          list.add(
              new FileChange(
                  FileChange.UPSERT,
                  c.getKey(),
                  "text",
                  c.getValue(),
                  ContentHash.sha256Hex(c.getValue()),
                  v));
        }
      }
      long rev = frames.size() + 1;
      append(ProjectEvent.bulk(project.toString(), rev, list, Instant.now().toString()));
    }
  }

  /** An event whose path the agent must refuse (the database would not store it, a bug would). */
  void rawUpdate(String path, String content) {
    synchronized (lock) {
      long rev = frames.size() + 1;
      append(
          ProjectEvent.update(
              project.toString(),
              rev,
              path,
              "text",
              content,
              ContentHash.sha256Hex(content),
              1,
              Instant.now().toString()));
    }
  }

  /**
   * A file whose event carries its hash but not its bytes (a binary file: its bytes live in object
   * storage, which the agent has no credentials for); the snapshot holds it.
   */
  void updateWithoutContent(String path, String content) {
    update(path, content, "binary", null);
  }

  private void append(ProjectEvent e) {
    frames.add(
        "id: " + e.revision() + "\nevent: " + e.type() + "\ndata: " + EventJson.write(e) + "\n\n");
    lock.notifyAll();
  }

  /** Ends every open stream with {@code event: reauth}. */
  void reauthAll() {
    synchronized (lock) {
      reauthGeneration++;
      lock.notifyAll();
    }
  }

  private boolean authorized(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.equals("Bearer " + validToken)) {
      unauthorized++;
      ex.sendResponseHeaders(401, -1);
      ex.close();
      return false;
    }
    return true;
  }

  private void events(HttpExchange ex) throws IOException {
    if (!authorized(ex)) {
      return;
    }
    String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
    long since = last == null ? 0 : Long.parseLong(last);
    connections.add(ex.getRequestHeaders().getFirst("Authorization") + " since=" + since);
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      if (since < retainedFrom || since > revision()) {
        out.write("event: resync\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      long next = since + 1;
      int generation;
      synchronized (lock) {
        generation = reauthGeneration;
      }
      while (true) {
        List<String> batch = new ArrayList<>();
        synchronized (lock) {
          if (frames.size() < next && reauthGeneration == generation) {
            try {
              lock.wait(keepaliveMillis);
            } catch (InterruptedException e) {
              return;
            }
          }
          if (reauthGeneration != generation) {
            out.write("event: reauth\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
            return;
          }
          for (long r = next; r <= frames.size(); r++) {
            batch.add(frames.get((int) r - 1));
          }
        }
        if (batch.isEmpty()) {
          out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          continue;
        }
        for (String frame : batch) {
          long rev = next++;
          if (skipOnce.remove(rev)) {
            continue;
          }
          if (corruptOnce.remove(rev) || corruptAlways.contains(rev)) {
            frame =
                frame.replaceFirst("\"contentHash\":\"[0-9a-f]{8}", "\"contentHash\":\"00000000");
          }
          out.write(frame.getBytes(StandardCharsets.UTF_8));
          if (repeatOnce.remove(rev)) {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
          }
        }
        out.flush();
      }
    } catch (IOException clientGone) {
      // the agent disconnected
    }
  }

  private void ack(HttpExchange ex) throws IOException {
    if (!authorized(ex)) {
      return;
    }
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    acks.add(EventJson.read(body, dev.velocity.preview.protocol.Ack.class).revision());
    ex.sendResponseHeaders(204, -1);
    ex.close();
  }

  private void snapshot(HttpExchange ex) throws IOException {
    if (!authorized(ex)) {
      return;
    }
    long rev;
    byte[] zip;
    synchronized (lock) {
      rev = frames.size();
      zip = zip(files);
    }
    String key = "/snapshots/" + rev + "-" + UUID.randomUUID() + ".zip";
    snapshots.put(key, zip);
    String json =
        "{\"url\":\""
            + url()
            + key
            + "\",\"sha256\":\""
            + ContentHash.sha256Hex(zip)
            + "\",\"revision\":"
            + rev
            + "}";
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** The snapshot zip of the current files at the current revision. */
  public SnapshotAt snapshotNow() {
    synchronized (lock) {
      byte[] zip = zip(files);
      String key = "/snapshots/" + frames.size() + "-" + UUID.randomUUID() + ".zip";
      snapshots.put(key, zip);
      return new SnapshotAt(url() + key, ContentHash.sha256Hex(zip), frames.size());
    }
  }

  public record SnapshotAt(String url, String sha256, long revision) {}

  private void download(HttpExchange ex) throws IOException {
    byte[] b = snapshots.get(ex.getRequestURI().getPath());
    if (b == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  static byte[] zip(Map<String, String> files) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream out = new ZipOutputStream(bytes)) {
        for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
          ZipEntry e = new ZipEntry(f.getKey());
          e.setTime(0);
          out.putNextEntry(e);
          out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
          out.closeEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
