package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSession;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues numbered fake credentials, counting per session; sessions whose name starts with {@code
 * short-token} get a token of a few seconds, the others ten minutes.
 */
final class CountingCredentials implements SessionCredentials {

  static final Duration SHORT_TOKEN = Duration.ofSeconds(6);
  private final Map<String, AtomicInteger> issued = new ConcurrentHashMap<>();
  private final AtomicInteger serial = new AtomicInteger();
  private final Clock clock;

  CountingCredentials(Clock clock) {
    this.clock = clock;
  }

  int issued(String sessionName) {
    return issued.computeIfAbsent(sessionName, n -> new AtomicInteger()).get();
  }

  @Override
  public IssuedCredentials issue(PreviewSession session, SessionSnapshot snapshot) {
    String name = session.getMetadata().getName();
    issued.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    int n = serial.incrementAndGet();
    var now = clock.instant();
    Duration tokenLife = name.startsWith("short-token") ? SHORT_TOKEN : Duration.ofMinutes(10);
    return new IssuedCredentials(
        "token-" + n,
        "jti-" + n,
        now,
        now.plus(tokenLife),
        "http://storage.test/" + snapshot.key() + "?signature=" + n,
        now.plus(Duration.ofMinutes(5)));
  }
}
