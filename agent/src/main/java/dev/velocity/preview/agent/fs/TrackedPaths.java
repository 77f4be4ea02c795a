package dev.velocity.preview.agent.fs;

import dev.velocity.preview.protocol.PathRules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which workspace files belong to the project (so a re-hydration deletes files the project no
 * longer has but keeps what the dev server made, like {@code node_modules}): the {@code index}
 * written by each hydration plus a {@code journal} of files that sync created since. Both live in
 * the agent's reserved directory, one path per line (paths cannot contain line breaks).
 */
public final class TrackedPaths {
  private final Path index;
  private final Path journal;

  /** The index and journal inside the agent directory {@code agentDir}. */
  public TrackedPaths(Path agentDir) {
    this.index = agentDir.resolve("index");
    this.journal = agentDir.resolve("journal");
  }

  /** Every path in the index and the journal that still passes the path rules. */
  public Set<String> readAll() throws IOException {
    Set<String> out = new HashSet<>();
    readInto(index, out);
    readInto(journal, out);
    return out;
  }

  /** Replaces the index with {@code paths} and empties the journal. */
  public void replace(Collection<String> paths) throws IOException {
    StringBuilder sb = new StringBuilder(paths.size() * 32);
    for (String p : paths) {
      sb.append(p).append('\n');
    }
    AtomicFiles.write(index, sb.toString().getBytes(StandardCharsets.UTF_8));
    Files.deleteIfExists(journal);
  }

  /** Records that sync is creating {@code path} (before the file appears). */
  public void append(String path) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            journal,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer b = ByteBuffer.wrap((path + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  private static void readInto(Path file, Set<String> out) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    }
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String p = text.substring(start, end);
      if (PathRules.isValid(p)) {
        out.add(p);
      }
      start = end + 1;
    }
  }
}
