package dev.velocity.preview.operator.storage;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Object-storage settings, built from the process environment ({@code S3_*}).
 *
 * @param endpoint {@code S3_ENDPOINT}, e.g. {@code http://minio.storage:9000}
 * @param region {@code S3_REGION} (default {@code us-east-1})
 * @param bucket {@code S3_BUCKET}
 * @param accessKey {@code S3_ACCESS_KEY}
 * @param secretKey {@code S3_SECRET_KEY}
 * @param pathStyle {@code S3_PATH_STYLE} (default true: {@code endpoint/bucket/key})
 * @param createBucket {@code S3_CREATE_BUCKET} (default false): create the bucket at start
 * @param partSize {@code S3_PART_SIZE_BYTES} (default 16 MiB, at least 5 MiB): multipart part size
 */
public record StorageConfig(
    URI endpoint,
    String region,
    String bucket,
    String accessKey,
    String secretKey,
    boolean pathStyle,
    boolean createBucket,
    long partSize) {

  /** The smallest part size S3 accepts. */
  public static final long MIN_PART_SIZE = 5L << 20;

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** Validates; every message names the environment variable at fault. */
  public StorageConfig {
    if (endpoint == null
        || endpoint.getHost() == null
        || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new IllegalArgumentException(
          "S3_ENDPOINT must be an http(s) URL like http://minio:9000, got '" + endpoint + "'");
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("S3_REGION must not be blank");
    }
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "S3_BUCKET must be a valid bucket name (3-63 of a-z 0-9 . -), got '" + bucket + "'");
    }
    if (accessKey == null || accessKey.isBlank()) {
      throw new IllegalArgumentException("S3_ACCESS_KEY must be set");
    }
    if (secretKey == null || secretKey.isBlank()) {
      throw new IllegalArgumentException("S3_SECRET_KEY must be set");
    }
    if (partSize < MIN_PART_SIZE || partSize > (5L << 30)) {
      throw new IllegalArgumentException(
          "S3_PART_SIZE_BYTES must be between 5 MiB and 5 GiB, got " + partSize);
    }
  }

  /**
   * Reads {@code S3_ENDPOINT}, {@code S3_REGION}, {@code S3_BUCKET}, {@code S3_ACCESS_KEY}, {@code
   * S3_SECRET_KEY}, {@code S3_PATH_STYLE}, {@code S3_CREATE_BUCKET}, {@code S3_PART_SIZE_BYTES}.
   *
   * @throws IllegalArgumentException naming the variable that is missing or malformed
   */
  public static StorageConfig fromEnv(Map<String, String> env) {
    String endpoint = require(env, "S3_ENDPOINT");
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("S3_ENDPOINT is not a URL: '" + endpoint + "'", e);
    }
    return new StorageConfig(
        uri,
        env.getOrDefault("S3_REGION", "us-east-1").trim(),
        require(env, "S3_BUCKET"),
        require(env, "S3_ACCESS_KEY"),
        require(env, "S3_SECRET_KEY"),
        bool(env, "S3_PATH_STYLE", true),
        bool(env, "S3_CREATE_BUCKET", false),
        number(env, "S3_PART_SIZE_BYTES", 16L << 20));
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "StorageConfig[endpoint="
        + endpoint
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", accessKey="
        + accessKey
        + ", pathStyle="
        + pathStyle
        + ", createBucket="
        + createBucket
        + ", partSize="
        + partSize
        + "]";
  }

  private static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be set");
    }
    return value.trim();
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    };
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
    }
  }
}
