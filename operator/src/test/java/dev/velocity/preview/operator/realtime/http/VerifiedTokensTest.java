package dev.velocity.preview.operator.realtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.velocity.preview.operator.token.SessionClaims;
import dev.velocity.preview.operator.token.TokenConfig;
import dev.velocity.preview.operator.token.TokenKeys;
import dev.velocity.preview.operator.token.TokenMetrics;
import dev.velocity.preview.operator.token.TokenMinter;
import dev.velocity.preview.operator.token.TokenRejectedException;
import dev.velocity.preview.operator.token.TokenVerifier;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  final TokenKeys keys = TokenKeys.generate("k1");
  final TokenConfig config = TokenConfig.generated();
  final TokenMetrics metrics = TokenMetrics.of(new PrometheusRegistry());
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  final TokenMinter minter = new TokenMinter(config, keys, clock, metrics);
  final CountingVerifier counting = new CountingVerifier();
  final VerifiedTokens tokens = new VerifiedTokens(counting::verify, clock);
  final UUID project = UUID.randomUUID();

  @Test
  void aTokenIsVerifiedOnceAndThenServedFromMemory() throws Exception {
    String token = minter.mint("uid-1", "ns", "s", project).token();
    SessionClaims first = tokens.verify(token, project);
    SessionClaims second = tokens.verify(token, project);
    assertThat(second).isEqualTo(first);
    assertThat(first.sessionUid()).isEqualTo("uid-1");
    assertThat(counting.calls).isEqualTo(1);
  }

  @Test
  void aRememberedTokenIsStillRefusedForAnotherProject() throws Exception {
    String token = minter.mint("uid-1", "ns", "s", project).token();
    tokens.verify(token, project);
    UUID other = UUID.randomUUID();
    TokenRejectedException e =
        catchThrowableOfType(TokenRejectedException.class, () -> tokens.verify(token, other));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e).hasMessage("token is for another project than " + other);
  }

  @Test
  void aRememberedTokenExpiresWithTheVerifiersSkew() throws Exception {
    String token = minter.mint("uid-1", "ns", "s", project).token();
    tokens.verify(token, project);
    clock.advance(config.ttl().plus(TokenConfig.CLOCK_SKEW));
    assertThat(tokens.verify(token, project).sessionUid()).isEqualTo("uid-1");
    clock.advance(Duration.ofSeconds(1));
    TokenRejectedException e =
        catchThrowableOfType(TokenRejectedException.class, () -> tokens.verify(token, project));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e).hasMessage("token expired");
  }

  @Test
  void refusedTokensAreNotRemembered() {
    String forged = minter.mint("uid-1", "ns", "s", project).token() + "x";
    for (int i = 0; i < 2; i++) {
      TokenRejectedException e =
          catchThrowableOfType(TokenRejectedException.class, () -> tokens.verify(forged, project));
      assertThat(e.status()).isEqualTo(401);
    }
    assertThat(counting.calls).isEqualTo(2);
  }

  final class CountingVerifier {
    final TokenVerifier verifier = new TokenVerifier(config, keys, clock, metrics);
    int calls;

    SessionClaims verify(String token, UUID project) throws TokenRejectedException {
      calls++;
      return verifier.verify(token, project);
    }
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
