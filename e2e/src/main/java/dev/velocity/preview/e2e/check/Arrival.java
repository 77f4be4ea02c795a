package dev.velocity.preview.e2e.check;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures when an edit arrives: polls a workspace file (every 0.5 ms) or the dev server (every 1
 * ms) until it holds the expected bytes, or is gone for a delete. Times are measured from a {@link
 * System#nanoTime()} taken right after the writing transaction committed.
 */
public final class Arrival {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private Arrival() {}

  /**
   * Time from {@code committedAt} until {@code file} holds {@code expected} ({@code null}: until it
   * no longer exists); empty after {@code timeout}.
   */
  public static Optional<Duration> onDisk(
      Path file, byte[] expected, long committedAt, Duration timeout) {
    long deadline = committedAt + timeout.toNanos();
    while (true) {
      long now = System.nanoTime();
      if (matchesOnDisk(file, expected)) {
        return Optional.of(Duration.ofNanos(now - committedAt));
      }
      if (now > deadline) {
        return Optional.empty();
      }
      LockSupport.parkNanos(500_000);
    }
  }

  /**
   * Time from {@code committedAt} until {@code GET url} returns {@code expected} ({@code null}:
   * until it answers 404); empty after {@code timeout}.
   */
  public static Optional<Duration> served(
      URI url, byte[] expected, long committedAt, Duration timeout) {
    long deadline = committedAt + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
    while (true) {
      long now = System.nanoTime();
      if (matchesServed(request, expected)) {
        return Optional.of(Duration.ofNanos(now - committedAt));
      }
      if (now > deadline) {
        return Optional.empty();
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static boolean matchesOnDisk(Path file, byte[] expected) {
    try {
      if (expected == null) {
        return !Files.exists(file);
      }
      return Files.size(file) == expected.length
          && Arrays.equals(Files.readAllBytes(file), expected);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean matchesServed(HttpRequest request, byte[] expected) {
    try {
      HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return expected == null
          ? r.statusCode() == 404
          : r.statusCode() == 200 && Arrays.equals(r.body(), expected);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
