package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.AgentException;
import dev.velocity.preview.agent.ExitCode;
import dev.velocity.preview.agent.fs.StateFile;
import dev.velocity.preview.agent.fs.WorkspaceFs;
import dev.velocity.preview.agent.zip.CentralEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hydrates the workspace from a snapshot: finish any interrupted commit, skip when the state
 * already holds this project at this revision or later, download with retries while hashing, verify
 * the SHA-256, extract into a staging directory on the workspace volume with every check of {@link
 * Extractor}, then commit ({@link WorkspaceCommit}). The workspace is not touched until the archive
 * has passed every check; a crash at any point is repaired by running again.
 */
public final class Hydrator {
  private final HydrateConfig config;

  /** A hydrator for {@code config}. */
  public Hydrator(HydrateConfig config) {
    this.config = config;
  }

  /**
   * What happened.
   *
   * @param revision the revision the workspace now holds
   * @param files files extracted (0 when skipped)
   * @param bytes bytes extracted
   * @param downloaded bytes downloaded
   * @param skipped true when the workspace already held the revision
   * @param phases milliseconds spent downloading, extracting and committing
   */
  public record Result(
      long revision, int files, long bytes, long downloaded, boolean skipped, String phases) {}

  /**
   * Runs the hydration.
   *
   * @param force re-hydrate even when the state says the workspace is current (resync)
   * @throws AgentException with the exit code and one-line message of a failure
   */
  public Result run(boolean force) {
    try {
      return hydrate(force);
    } catch (IOException | UncheckedIOException e) {
      throw new AgentException(ExitCode.IO, "hydrate failed: " + describe(e), e);
    }
  }

  /** Finishes a commit interrupted by a crash, if any (sync calls this before it starts). */
  public static void resumePending(Path workspace, Path stateDir) throws IOException {
    Files.createDirectories(workspace);
    AgentDir agentDir = AgentDir.ensure(workspace);
    Optional<CommitRecord> pending = CommitRecord.read(agentDir.path());
    if (pending.isPresent()) {
      try (WorkspaceFs fs = new WorkspaceFs(workspace)) {
        new WorkspaceCommit(fs, agentDir, new StateFile(stateDir)).run(pending.get());
      }
    }
  }

  private Result hydrate(boolean force) throws IOException {
    Path workspace = config.workspaceDir();
    resumePending(workspace, config.stateDir());
    AgentDir agentDir = AgentDir.ensure(workspace);
    // a run killed after its commit but before its cleanup leaves trash/staging behind
    agentDir.removeLeftovers(null);
    StateFile stateFile = new StateFile(config.stateDir());
    if (!force) {
      Optional<StateFile.State> state = readState(stateFile);
      if (state.isPresent()
          && state.get().projectId().equals(config.projectId())
          && state.get().revision() >= config.revision()) {
        return new Result(state.get().revision(), 0, 0, 0, true, "");
      }
    }
    Path zip = agentDir.newDownloadFile();
    Path stagingName = null;
    boolean committed = false;
    try {
      long t0 = System.nanoTime();
      long downloaded =
          new SnapshotDownloader(config.download(), config.limits().maxDownloadBytes())
              .download(config.snapshotUrl(), config.sha256(), zip);
      long t1 = System.nanoTime();
      stagingName = agentDir.newTempDir("staging-");
      Extractor.Result extracted =
          new Extractor(config.limits()).extract(zip, agentDir.path().resolve(stagingName));
      Files.deleteIfExists(zip);
      List<String> paths = new ArrayList<>(extracted.plan().files().size());
      for (CentralEntry e : extracted.plan().files()) {
        paths.add(e.path());
      }
      CommitRecord record =
          new CommitRecord(config.projectId(), config.revision(), stagingName.toString(), paths);
      long t2 = System.nanoTime();
      record.write(agentDir.path());
      committed = true;
      try (WorkspaceFs fs = new WorkspaceFs(workspace)) {
        new WorkspaceCommit(fs, agentDir, stateFile).run(record);
      }
      long t3 = System.nanoTime();
      String phases =
          "download "
              + (t1 - t0) / 1_000_000
              + " ms, extract "
              + (t2 - t1) / 1_000_000
              + " ms, commit "
              + (t3 - t2) / 1_000_000
              + " ms";
      return new Result(
          config.revision(), paths.size(), extracted.bytes(), downloaded, false, phases);
    } finally {
      if (!committed) {
        Files.deleteIfExists(zip);
        if (stagingName != null) {
          agentDir.deleteTree(stagingName);
        }
      }
    }
  }

  private static Optional<StateFile.State> readState(StateFile stateFile) {
    try {
      return stateFile.read();
    } catch (IOException e) {
      // an unreadable state is no state: hydrate again
      return Optional.empty();
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    String type = e.getClass().getSimpleName();
    return m == null ? type : type + ": " + m;
  }
}
