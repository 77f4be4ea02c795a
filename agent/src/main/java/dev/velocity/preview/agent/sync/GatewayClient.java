package dev.velocity.preview.agent.sync;

import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.SnapshotLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The realtime gateway's HTTP API as the agent uses it (DESIGN.md §6): the event stream, acks and
 * snapshot requests, each with the session token as a Bearer credential.
 */
public final class GatewayClient {
  private final String projectBase;
  private final int readTimeoutMillis;

  /** A client of the gateway at {@code baseUrl} for {@code projectId}. */
  public GatewayClient(URI baseUrl, UUID projectId, int readTimeoutMillis) {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.projectBase = base + "/v1/projects/" + projectId;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  /** An open event stream; closing it disconnects. */
  public static final class EventStream implements AutoCloseable {
    private final HttpURLConnection connection;
    private final InputStream body;

    EventStream(HttpURLConnection connection, InputStream body) {
      this.connection = connection;
      this.body = body;
    }

    /** The response body. */
    public InputStream body() {
      return body;
    }

    @Override
    public void close() {
      // disconnect closes the socket, which also unblocks a read in another thread
      connection.disconnect();
    }
  }

  /**
   * Opens {@code GET …/events} resuming after {@code lastRevision}.
   *
   * @throws GatewayStatusException for any status but 200
   */
  public EventStream openStream(long lastRevision, String token) throws IOException {
    HttpURLConnection c = open("/events", token);
    c.setRequestProperty("Accept", "text/event-stream");
    c.setRequestProperty("Cache-Control", "no-cache");
    c.setRequestProperty("Last-Event-ID", Long.toString(lastRevision));
    boolean ok = false;
    try {
      int status = c.getResponseCode();
      if (status != 200) {
        drain(c);
        throw new GatewayStatusException("event stream", status);
      }
      EventStream s = new EventStream(c, c.getInputStream());
      ok = true;
      return s;
    } finally {
      if (!ok) {
        c.disconnect();
      }
    }
  }

  /** Reports {@code revision} as applied ({@code POST …/acks}). */
  public void ack(long revision, String token) throws IOException {
    HttpURLConnection c = open("/acks", token);
    int status = post(c, "{\"revision\":" + revision + "}");
    // drained, not disconnected: acks reuse the kept-alive connection
    drain(c);
    if (status / 100 != 2) {
      throw new GatewayStatusException("ack", status);
    }
  }

  /** Asks for a snapshot at the current revision ({@code POST …/snapshot}). */
  public SnapshotLocation requestSnapshot(String token) throws IOException {
    HttpURLConnection c = open("/snapshot", token);
    c.setReadTimeout(Math.max(readTimeoutMillis, 120_000));
    int status = post(c, "{}");
    if (status != 200) {
      drain(c);
      throw new GatewayStatusException("snapshot request", status);
    }
    try (InputStream in = c.getInputStream()) {
      String json = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      SnapshotLocation loc = EventJson.read(json, SnapshotLocation.class);
      if (loc.url() == null || loc.sha256() == null) {
        throw new IOException("snapshot answer lacks url or sha256");
      }
      return loc;
    } catch (IllegalArgumentException e) {
      throw new IOException("snapshot answer is not valid JSON: " + e.getMessage());
    }
  }

  private HttpURLConnection open(String suffix, String token) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(projectBase + suffix).openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(readTimeoutMillis);
    c.setUseCaches(false);
    c.setInstanceFollowRedirects(false);
    c.setRequestProperty("Authorization", "Bearer " + token);
    return c;
  }

  private static int post(HttpURLConnection c, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(body.length);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    return c.getResponseCode();
  }

  private static void drain(HttpURLConnection c) {
    try {
      InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
      if (in != null) {
        try (in) {
          in.readNBytes(64 * 1024);
        }
      }
    } catch (IOException ignored) {
      // only drained to keep the connection reusable
    }
  }
}
