package dev.velocity.preview.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenConfigTest {
  @Test
  void defaults() {
    TokenConfig config = TokenConfig.fromEnv(Map.of());
    assertThat(config)
        .isEqualTo(
            new TokenConfig(null, "generated", null, "preview-operator", Duration.ofMinutes(10)));
  }

  @Test
  void readsEveryVariable() {
    TokenConfig config =
        TokenConfig.fromEnv(
            Map.of(
                "TOKEN_SIGNING_KEY_FILE", "/keys/signing.pem",
                "TOKEN_SIGNING_KEY_ID", "2030-01",
                "TOKEN_PUBLIC_KEYS_DIR", "/keys/public",
                "TOKEN_ISSUER", "op-1",
                "TOKEN_TTL_SECONDS", "900"));
    assertThat(config)
        .isEqualTo(
            new TokenConfig(
                Path.of("/keys/signing.pem"),
                "2030-01",
                Path.of("/keys/public"),
                "op-1",
                Duration.ofSeconds(900)));
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> TokenConfig.fromEnv(Map.of("TOKEN_TTL_SECONDS", "ten")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKEN_TTL_SECONDS must be a number of seconds, got 'ten'");
    assertThatThrownBy(() -> TokenConfig.fromEnv(Map.of("TOKEN_TTL_SECONDS", "5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TOKEN_TTL_SECONDS must be a whole number of seconds between 60 and 86400, got PT5S");
    assertThatThrownBy(() -> TokenConfig.fromEnv(Map.of("TOKEN_SIGNING_KEY_FILE", "/k.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKEN_SIGNING_KEY_ID is required when TOKEN_SIGNING_KEY_FILE is set");
    assertThatThrownBy(() -> TokenConfig.fromEnv(Map.of("TOKEN_SIGNING_KEY_ID", "../etc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOKEN_SIGNING_KEY_ID must be 1-64 characters");
    assertThatThrownBy(() -> TokenConfig.fromEnv(Map.of("TOKEN_ISSUER", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKEN_ISSUER must not be blank");
  }
}
