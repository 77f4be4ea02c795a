package dev.velocity.preview.testkit;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The CRUD dispatcher with watch closes handled off the server's event loop.
 *
 * <p>Why: the mock server's watch listener, when its websocket closes, waits (on the Vert.x event
 * loop that delivered the close) for its sender thread to finish; a send still queued there waits
 * up to 30 s for its write to complete on that same event loop. So every watch that closed while an
 * event was on its way to it (a client stopping an informer, a killed gateway or operator) froze
 * the whole API server for 30–60 s: measured 28 s and 11 s stalls in a 50-session bench, and the
 * cause of a restarted gateway never coming back under load. Running the close on another thread
 * lets the event loop complete the write, so the sender finishes at once. The listener leaves the
 * dispatcher's set of watches first, still on the event loop, so that no event is handed to a
 * listener whose sender is shutting down (the dispatcher would fail that write request).
 */
public class OffLoopWatchDispatcher extends KubernetesCrudDispatcher {
  private final ExecutorService closer;
  private final Set<?> watches;

  /** A CRUD dispatcher that runs blocking watch-close callbacks on {@code closer}. */
  public OffLoopWatchDispatcher(ExecutorService closer) {
    super(List.of());
    this.closer = closer;
    this.watches = watchSet(this);
  }

  /** The dispatcher's own set of open watches (private in the library: no accessor). */
  private static Set<?> watchSet(KubernetesCrudDispatcher dispatcher) {
    try {
      Field f = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
      f.setAccessible(true);
      return (Set<?>) f.get(dispatcher);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "this kubernetes-server-mock version has no watchEventListeners set: check"
              + " OffLoopWatchDispatcher against it",
          e);
    }
  }

  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener inner = response.getWebSocketListener();
    return inner == null ? response : response.withWebSocketUpgrade(new OffLoop(inner));
  }

  /** Delegates everything; runs the blocking close and failure callbacks on {@code closer}. */
  private final class OffLoop extends WebSocketListener {
    private final WebSocketListener inner;

    OffLoop(WebSocketListener inner) {
      this.inner = inner;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      inner.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      inner.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      inner.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      inner.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      inner.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      inner.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      watches.remove(inner);
      closer.execute(() -> inner.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      watches.remove(inner);
      closer.execute(() -> inner.onFailure(webSocket, t, response));
    }
  }
}
