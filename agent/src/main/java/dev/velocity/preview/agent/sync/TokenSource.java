package dev.velocity.preview.agent.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The session token, read from {@code TOKEN_FILE} on every call: kubelet rotates mounted Secrets by
 * swapping a symlink, so the file is re-read on each connect, on {@code reauth} and after a 401,
 * never cached.
 */
public final class TokenSource {
  private final Path file;

  /** A source reading {@code file}. */
  public TokenSource(Path file) {
    this.file = file;
  }

  /**
   * The current token.
   *
   * @throws IOException when the file is missing, unreadable or empty
   */
  public String read() throws IOException {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new IOException("token file " + file + " does not exist");
    }
    if (token.isEmpty()) {
      throw new IOException("token file " + file + " is empty");
    }
    return token;
  }
}
