package dev.velocity.preview.e2e.kubelet;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubelet's {@code FallbackToLogsOnError}: the message of a failed container is the end of what
 * this instance wrote to its log (at most 2048 bytes and 80 lines).
 */
final class TerminationMessage {
  private static final int MAX_BYTES = 2048;
  private static final int MAX_LINES = 80;

  private TerminationMessage() {}

  static long logSize(Path log) {
    try {
      return Files.exists(log) ? Files.size(log) : 0L;
    } catch (IOException e) {
      return 0L;
    }
  }

  static String tail(Path log, long fromOffset) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long end = file.length();
      long start = Math.max(fromOffset, end - MAX_BYTES);
      byte[] bytes = new byte[(int) (end - start)];
      file.seek(start);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      String[] lines = text.split("\n");
      if (lines.length > MAX_LINES) {
        text =
            String.join(
                "\n", java.util.Arrays.copyOfRange(lines, lines.length - MAX_LINES, lines.length));
      }
      return text.isEmpty() ? null : text;
    } catch (IOException e) {
      return null;
    }
  }
}
