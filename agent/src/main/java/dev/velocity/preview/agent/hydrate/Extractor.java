package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.zip.CentralEntry;
import dev.velocity.preview.agent.zip.EntryReader;
import dev.velocity.preview.agent.zip.ZipArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Extracts a checked archive into an empty staging directory. Names are vetted by {@link EntryPlan}
 * first; content is checked while it streams ({@link EntryReader}). Files are created with {@code
 * CREATE_NEW} and never through a link.
 */
public final class Extractor {
  private final ExtractionLimits limits;

  /** An extractor enforcing {@code limits}. */
  public Extractor(ExtractionLimits limits) {
    this.limits = limits;
  }

  /** What was extracted. */
  public record Result(EntryPlan plan, long bytes) {}

  /**
   * Extracts {@code zip} into {@code staging} (which must exist and be empty).
   *
   * @throws dev.velocity.preview.agent.AgentException when the archive is refused
   */
  public Result extract(Path zip, Path staging) throws IOException {
    try (ZipArchive archive = ZipArchive.open(zip, limits.maxEntries());
        EntryReader reader = new EntryReader(archive, limits)) {
      EntryPlan plan = EntryPlan.of(archive.entries());
      for (String dir : plan.directories()) {
        Files.createDirectory(staging.resolve(dir));
      }
      for (CentralEntry e : plan.files()) {
        Path target = staging.resolve(e.name());
        try (OutputStream out =
            Files.newOutputStream(
                target,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
          reader.copy(e, out);
        }
      }
      return new Result(plan, reader.totalInflated());
    }
  }
}
