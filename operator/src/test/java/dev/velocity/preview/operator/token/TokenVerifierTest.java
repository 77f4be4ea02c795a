package dev.velocity.preview.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.operator.token.TokenRejectedException.Reason;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final UUID PROJECT = UUID.fromString("0b6f0c1e-3c1a-4a57-9f5e-2f3f6f9e4d11");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TokenConfig config = TokenConfig.generated();
  private final TokenKeys keys = TokenKeys.generate("k1");
  private final TokenMetrics metrics = TokenMetrics.of(new PrometheusRegistry());
  private final TokenMinter minter =
      new TokenMinter(config, keys, Clock.fixed(NOW, ZoneOffset.UTC), metrics);

  private TokenVerifier verifierAt(Instant now) {
    return new TokenVerifier(config, keys, Clock.fixed(now, ZoneOffset.UTC), metrics);
  }

  private final TokenVerifier verifier = verifierAt(NOW.plusSeconds(5));

  @Test
  void mintedTokenVerifiesWithAllClaims() throws Exception {
    MintedToken minted = minter.mint("uid-1", "team-a", "preview-1", PROJECT);

    SessionClaims claims = verifier.verify(minted.token(), PROJECT);

    assertThat(claims)
        .isEqualTo(
            new SessionClaims(
                "uid-1",
                "team-a/preview-1",
                PROJECT,
                NOW,
                NOW.plus(Duration.ofMinutes(10)),
                minted.jti()));
    assertThat(minted.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    var header =
        Jwts.parser()
            .verifyWith(keys.publicKey("k1").orElseThrow())
            .clock(() -> Date.from(NOW))
            .build();
    var jws = header.parseSignedClaims(minted.token());
    assertThat(jws.getHeader().getKeyId()).isEqualTo("k1");
    assertThat(jws.getHeader().getAlgorithm()).isEqualTo("EdDSA");
    assertThat(jws.getPayload().getAudience()).containsExactly("preview-realtime");
    assertThat(jws.getPayload().get("scope")).isEqualTo("realtime:project:" + PROJECT + ":read");
    assertThat(jws.getPayload().getIssuer()).isEqualTo("preview-operator");
    assertThat(jws.getPayload().getNotBefore()).isEqualTo(Date.from(NOW));
  }

  @Test
  void twoMintsHaveDistinctIds() {
    assertThat(minter.mint("u", "n", "a", PROJECT).jti())
        .isNotEqualTo(minter.mint("u", "n", "a", PROJECT).jti());
  }

  @Test
  void algNoneIsRejected() {
    String header = b64("{\"alg\":\"none\",\"kid\":\"k1\"}");
    String payload = b64(validPayloadJson());
    assertRejected(header + "." + payload + ".", Reason.UNSUPPORTED_ALGORITHM, 401);
  }

  @Test
  void hs256SignedWithThePublicKeyBytesIsRejected() throws Exception {
    String header = b64("{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}");
    String signingInput = header + "." + b64(validPayloadJson());
    byte[] publicKeyBytes = keys.publicKey("k1").orElseThrow().getEncoded();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(publicKeyBytes, "HmacSHA256"));
    String sig = B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

    assertRejected(signingInput + "." + sig, Reason.UNSUPPORTED_ALGORITHM, 401);
  }

  @Test
  void wrongAudienceIsRejected() {
    String jwt =
        signed(
            Jwts.builder()
                .header()
                .keyId("k1")
                .and()
                .issuer("preview-operator")
                .audience()
                .add("something-else")
                .and()
                .subject("uid-1")
                .claim("project_id", PROJECT.toString())
                .claim("session", "ns/name")
                .claim("scope", TokenConfig.scopeFor(PROJECT))
                .issuedAt(Date.from(NOW))
                .expiration(Date.from(NOW.plusSeconds(600)))
                .id("j1"));
    assertRejected(jwt, Reason.WRONG_AUDIENCE, 401);
  }

  @Test
  void wrongIssuerIsRejected() {
    String jwt = forge().issuer("someone-else").compact();
    assertRejected(jwt, Reason.WRONG_ISSUER, 401);
  }

  @Test
  void expiredBeyondSkewIsRejectedButWithinSkewAccepted() throws Exception {
    String jwt = minter.mint("uid-1", "ns", "name", PROJECT).token();
    Instant exp = NOW.plusSeconds(600);

    assertThat(verifierAt(exp.plusSeconds(25)).verify(jwt, PROJECT).projectId()).isEqualTo(PROJECT);
    assertThatThrownBy(() -> verifierAt(exp.plusSeconds(31)).verify(jwt, PROJECT))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).isEqualTo("token expired");
            });
  }

  @Test
  void notBeforeInTheFutureIsRejected() throws Exception {
    String jwt = minter.mint("uid-1", "ns", "name", PROJECT).token();

    assertThat(verifierAt(NOW.minusSeconds(25)).verify(jwt, PROJECT)).isNotNull();
    assertThatThrownBy(() -> verifierAt(NOW.minusSeconds(31)).verify(jwt, PROJECT))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID));
  }

  @Test
  void tokenForAnotherProjectIs403() {
    String jwt = minter.mint("uid-1", "ns", "name", PROJECT).token();
    UUID other = UUID.fromString("11111111-2222-3333-4444-555555555555");
    assertThatThrownBy(() -> verifier.verify(jwt, other))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.WRONG_PROJECT);
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.getMessage()).isEqualTo("token is for another project than " + other);
            });
  }

  @Test
  void unknownKidIsRejected() {
    TokenKeys other = TokenKeys.generate("k2");
    String jwt =
        new TokenMinter(config, other, Clock.fixed(NOW, ZoneOffset.UTC), metrics)
            .mint("uid-1", "ns", "name", PROJECT)
            .token();
    assertRejected(jwt, Reason.UNKNOWN_KEY, 401);
  }

  @Test
  void missingKidIsRejected() {
    String jwt = validClaims(Jwts.builder()).signWith(keys.signingKey(), Jwts.SIG.EdDSA).compact();
    assertRejected(jwt, Reason.UNKNOWN_KEY, 401);
  }

  @Test
  void payloadChangedAfterSigningIsRejected() {
    String jwt = minter.mint("uid-1", "ns", "name", PROJECT).token();
    String[] parts = jwt.split("\\.");
    UUID other = UUID.fromString("11111111-2222-3333-4444-555555555555");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace(PROJECT.toString(), other.toString());
    String tampered = parts[0] + "." + b64(payload) + "." + parts[2];

    assertThatThrownBy(() -> verifier.verify(tampered, other))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).isEqualTo("token signature is invalid");
            });
  }

  @Test
  void signatureFromAnotherKeyUnderAKnownKidIsRejected() {
    TokenKeys impostor = TokenKeys.generate("k1");
    String jwt =
        new TokenMinter(config, impostor, Clock.fixed(NOW, ZoneOffset.UTC), metrics)
            .mint("uid-1", "ns", "name", PROJECT)
            .token();
    assertRejected(jwt, Reason.BAD_SIGNATURE, 401);
  }

  @Test
  void validSignatureWithoutProjectIdIsRejected() {
    String jwt =
        signed(
            Jwts.builder()
                .header()
                .keyId("k1")
                .and()
                .issuer("preview-operator")
                .audience()
                .add("preview-realtime")
                .and()
                .subject("uid-1")
                .claim("session", "ns/name")
                .claim("scope", TokenConfig.scopeFor(PROJECT))
                .issuedAt(Date.from(NOW))
                .notBefore(Date.from(NOW))
                .expiration(Date.from(NOW.plusSeconds(600)))
                .id("j1"));
    assertThatThrownBy(() -> verifier.verify(jwt, PROJECT))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIMS);
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage())
                  .isEqualTo("token lacks one of sub, session, project_id, iat, exp, jti");
            });
  }

  @Test
  void tokenWithoutExpiryIsRejected() {
    String jwt = signed(forgeWith(Jwts.builder()).expiration(null));
    assertRejected(jwt, Reason.INVALID_CLAIMS, 401);
  }

  @Test
  void scopeForAnotherProjectIsRejected() {
    UUID other = UUID.fromString("11111111-2222-3333-4444-555555555555");
    String jwt = forge().claim("scope", TokenConfig.scopeFor(other)).compact();
    assertRejected(jwt, Reason.WRONG_SCOPE, 401);
  }

  @Test
  void garbageAndEmptyTokensAreRejected() {
    assertRejected("", Reason.MISSING_TOKEN, 401);
    assertRejected(null, Reason.MISSING_TOKEN, 401);
    assertRejected("not-a-jwt", Reason.MALFORMED, 401);
    assertRejected("a.b.c", Reason.MALFORMED, 401);
  }

  @Test
  void rotationAcceptsEveryListedKeyAndCountsRejections() throws Exception {
    TokenKeys next = TokenKeys.generate("k2");
    TokenKeys both = keys.withPublicKey("k2", next.publicKey("k2").orElseThrow());
    TokenVerifier rotating =
        new TokenVerifier(config, both, Clock.fixed(NOW, ZoneOffset.UTC), metrics);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    String old = minter.mint("u", "ns", "a", PROJECT).token();
    String fresh =
        new TokenMinter(config, next, clock, metrics).mint("u", "ns", "b", PROJECT).token();

    assertThat(rotating.verify(old, PROJECT).session()).isEqualTo("ns/a");
    assertThat(rotating.verify(fresh, PROJECT).session()).isEqualTo("ns/b");
    assertRejected(fresh, Reason.UNKNOWN_KEY, 401);
    assertThat(metrics.rejected.labelValues("UNKNOWN_KEY").get()).isEqualTo(1.0);
    assertThat(metrics.minted.get()).isEqualTo(2.0);
  }

  private void assertRejected(String jwt, Reason reason, int status) {
    assertThatThrownBy(() -> verifier.verify(jwt, PROJECT))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.status()).isEqualTo(status);
            });
  }

  /** A builder holding a valid token's header and claims, signed by the real key on compact. */
  private JwtBuilder forge() {
    return forgeWith(Jwts.builder()).signWith(keys.signingKey(), Jwts.SIG.EdDSA);
  }

  private JwtBuilder forgeWith(JwtBuilder builder) {
    return validClaims(builder.header().keyId("k1").and());
  }

  private String signed(JwtBuilder builder) {
    return builder.signWith(keys.signingKey(), Jwts.SIG.EdDSA).compact();
  }

  private static JwtBuilder validClaims(JwtBuilder builder) {
    return builder
        .issuer("preview-operator")
        .audience()
        .add("preview-realtime")
        .and()
        .subject("uid-1")
        .claim("project_id", PROJECT.toString())
        .claim("session", "ns/name")
        .claim("scope", TokenConfig.scopeFor(PROJECT))
        .issuedAt(Date.from(NOW))
        .notBefore(Date.from(NOW))
        .expiration(Date.from(NOW.plusSeconds(600)))
        .id("j1");
  }

  private static String validPayloadJson() {
    long iat = NOW.getEpochSecond();
    return "{\"iss\":\"preview-operator\",\"aud\":\"preview-realtime\",\"sub\":\"uid-1\","
        + "\"project_id\":\""
        + PROJECT
        + "\",\"session\":\"ns/name\",\"scope\":\""
        + TokenConfig.scopeFor(PROJECT)
        + "\",\"iat\":"
        + iat
        + ",\"nbf\":"
        + iat
        + ",\"exp\":"
        + (iat + 600)
        + ",\"jti\":\"j1\"}";
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
