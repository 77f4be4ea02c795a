package dev.velocity.preview.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("S3_ENDPOINT", "http://minio:9000");
    env.put("S3_BUCKET", "previews");
    env.put("S3_ACCESS_KEY", "ak");
    env.put("S3_SECRET_KEY", "sk");
    return env;
  }

  @Test
  void defaults() {
    assertThat(StorageConfig.fromEnv(env()))
        .isEqualTo(
            new StorageConfig(
                URI.create("http://minio:9000"),
                "us-east-1",
                "previews",
                "ak",
                "sk",
                true,
                false,
                16L << 20));
  }

  @Test
  void secretIsNotPrinted() {
    assertThat(StorageConfig.fromEnv(env()).toString()).doesNotContain("sk,").contains("ak");
  }

  @Test
  void badValuesNameTheVariable() {
    Map<String, String> env = env();
    env.remove("S3_SECRET_KEY");
    assertThatThrownBy(() -> StorageConfig.fromEnv(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("S3_SECRET_KEY must be set");
    Map<String, String> e2 = env();
    e2.put("S3_ENDPOINT", "minio:9000");
    assertThatThrownBy(() -> StorageConfig.fromEnv(e2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("S3_ENDPOINT must be an http(s) URL like http://minio:9000, got 'minio:9000'");
    Map<String, String> e3 = env();
    e3.put("S3_PATH_STYLE", "yes");
    assertThatThrownBy(() -> StorageConfig.fromEnv(e3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("S3_PATH_STYLE must be true or false, got 'yes'");
    Map<String, String> e4 = env();
    e4.put("S3_BUCKET", "Bad_Bucket");
    assertThatThrownBy(() -> StorageConfig.fromEnv(e4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "S3_BUCKET must be a valid bucket name (3-63 of a-z 0-9 . -), got 'Bad_Bucket'");
    Map<String, String> e5 = env();
    e5.put("S3_PART_SIZE_BYTES", "1000");
    assertThatThrownBy(() -> StorageConfig.fromEnv(e5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("S3_PART_SIZE_BYTES must be between 5 MiB and 5 GiB, got 1000");
  }
}
