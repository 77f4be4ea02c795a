package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The intent to move a fully extracted and verified staging directory into the workspace, written
 * before the first move so that a crash at any later point is finished by the next run: line 1
 * {@code revision projectId stagingName}, then one project path per line.
 *
 * @param projectId the project
 * @param revision the snapshot's revision
 * @param stagingName the staging directory's name inside the agent directory
 * @param paths every file path of the snapshot
 */
public record CommitRecord(UUID projectId, long revision, String stagingName, List<String> paths) {

  /** The record's file name inside the agent directory. */
  public static final String NAME = "commit";

  /** Writes the record atomically into {@code agentDir}. */
  public void write(Path agentDir) throws IOException {
    StringBuilder sb = new StringBuilder(64 + paths.size() * 32);
    sb.append(revision).append(' ').append(projectId).append(' ').append(stagingName).append('\n');
    for (String p : paths) {
      sb.append(p).append('\n');
    }
    AtomicFiles.write(agentDir.resolve(NAME), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The pending record in {@code agentDir}, if a commit was interrupted. */
  public static Optional<CommitRecord> read(Path agentDir) throws IOException {
    String text;
    try {
      text = Files.readString(agentDir.resolve(NAME), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] lines = text.split("\n");
    String[] head = lines[0].split(" ");
    if (head.length != 3) {
      throw new IOException("corrupt commit record " + agentDir.resolve(NAME));
    }
    List<String> paths = new ArrayList<>(lines.length);
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isEmpty()) {
        paths.add(lines[i]);
      }
    }
    try {
      return Optional.of(
          new CommitRecord(UUID.fromString(head[1]), Long.parseLong(head[0]), head[2], paths));
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt commit record " + agentDir.resolve(NAME));
    }
  }

  /** Removes the record: the commit is complete. */
  public static void clear(Path agentDir) throws IOException {
    Files.deleteIfExists(agentDir.resolve(NAME));
  }
}
