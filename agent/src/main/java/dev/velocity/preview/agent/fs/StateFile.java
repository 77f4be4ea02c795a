package dev.velocity.preview.agent.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code STATE_DIR/state.json}: {@code {"projectId":"…","revision":R}}, the revision whose files
 * are all on disk. Written atomically (temp file + rename). Parsed by hand: the hydrate path stays
 * free of Jackson, which would cost more start-up time than the whole extraction of a small
 * project.
 */
public final class StateFile {
  /** The file name inside the state directory. */
  public static final String NAME = "state.json";

  private final Path file;

  /** The state file inside {@code stateDir}. */
  public StateFile(Path stateDir) {
    this.file = stateDir.resolve(NAME);
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /** What the state file records. */
  public record State(UUID projectId, long revision) {}

  /** Writes {@code state} atomically, creating the state directory if needed. */
  public void write(State state) throws IOException {
    String json =
        "{\"projectId\":\"" + state.projectId() + "\",\"revision\":" + state.revision() + "}\n";
    AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads the state, or empty when there is none.
   *
   * @throws IOException when the file exists but cannot be read or parsed
   */
  public Optional<State> read() throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String project = stringField(text, "projectId");
    String revision = numberField(text, "revision");
    if (project == null || revision == null) {
      throw new IOException(file + " is not a valid state file");
    }
    try {
      return Optional.of(new State(UUID.fromString(project), Long.parseLong(revision)));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not a valid state file: " + e.getMessage());
    }
  }

  private static int valueStart(String text, String key) {
    int k = text.indexOf("\"" + key + "\"");
    if (k < 0) {
      return -1;
    }
    int i = k + key.length() + 2;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i >= text.length() || text.charAt(i) != ':') {
      return -1;
    }
    i++;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String stringField(String text, String key) {
    int i = valueStart(text, key);
    if (i < 0 || i >= text.length() || text.charAt(i) != '"') {
      return null;
    }
    int end = text.indexOf('"', i + 1);
    return end < 0 ? null : text.substring(i + 1, end);
  }

  private static String numberField(String text, String key) {
    int i = valueStart(text, key);
    if (i < 0) {
      return null;
    }
    int end = i;
    while (end < text.length()
        && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '-')) {
      end++;
    }
    return end == i ? null : text.substring(i, end);
  }
}
