package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.testkit.OffLoopWatchDispatcher;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fabric8 mock API server in CRUD mode on an ephemeral port, with a client. It also answers
 * {@code SelfSubjectRulesReview} (which CRUD mode cannot) the way an API server would for a service
 * account allowed to manage Leases, so leader election starts.
 */
public final class MockCluster implements AutoCloseable {

  // the mock server logs every request through java.util.logging; keep a reference so the level
  // sticks
  private static final java.util.logging.Logger MOCK_LOG = quiet();

  public final KubernetesMockServer server;
  public final KubernetesClient client;
  private final ExecutorService watchCloser =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "mock-watch-close");
            t.setDaemon(true);
            return t;
          });

  public MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new LeaseAllowingDispatcher(watchCloser),
            false);
    server.init();
    client = server.createClient();
  }

  /**
   * CRUD mode, watch closes off the server's event loop (a stopped operator's watches otherwise
   * stall the server for 30 s), and {@code SelfSubjectRulesReview} answered as for a service
   * account allowed to manage Leases.
   */
  private static final class LeaseAllowingDispatcher extends OffLoopWatchDispatcher {
    private static final String RULES_REVIEWS =
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    LeaseAllowingDispatcher(ExecutorService closer) {
      super(closer);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
      if (!request.getPath().startsWith(RULES_REVIEWS)) {
        return super.handleCreate(request);
      }
      SelfSubjectRulesReview review =
          new SelfSubjectRulesReviewBuilder()
              .withNewStatus()
              .withIncomplete(false)
              .addNewResourceRule()
              .withApiGroups("coordination.k8s.io")
              .withResources("leases")
              .withVerbs("create", "update", "get")
              .endResourceRule()
              .endStatus()
              .build();
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
  }

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  /** Another client of the same server (a second operator process). */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
    watchCloser.shutdown();
  }
}
