package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.check.WorkspaceDiff;
import dev.velocity.preview.e2e.db.CurrentFile;
import dev.velocity.preview.e2e.db.ProjectFiles;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After the load: every session's workspace compared byte for byte with {@code list_current_files}
 * of its project (waiting up to 30 s for the last edits to land).
 *
 * @param sessions workspaces checked
 * @param mismatched workspaces that still differ
 * @param firstMismatch a description of the first difference, empty when none
 */
record Convergence(int sessions, int mismatched, String firstMismatch) {
  static Convergence check(
      ProjectFiles files,
      List<BenchProjectState> projects,
      List<BenchSession> sessions,
      Console console)
      throws InterruptedException {
    Map<BenchProjectState, Map<String, CurrentFile>> expected = new HashMap<>();
    for (BenchProjectState p : projects) {
      expected.put(p, files.listCurrentFiles(p.owner(), p.project()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int mismatched;
    String first;
    do {
      mismatched = 0;
      first = "";
      for (BenchSession s : sessions) {
        WorkspaceDiff diff = WorkspaceDiff.compare(s.workspace(), expected.get(s.project()));
        if (!diff.isEmpty()) {
          if (mismatched++ == 0) {
            first = s.name() + ": " + diff;
          }
        }
      }
      if (mismatched > 0) {
        Thread.sleep(500);
      }
    } while (mismatched > 0 && System.nanoTime() < deadline);
    console.line(
        "convergence: "
            + (sessions.size() - mismatched)
            + "/"
            + sessions.size()
            + " workspaces equal the database"
            + (mismatched == 0 ? "" : "; first difference " + first));
    return new Convergence(sessions.size(), mismatched, first);
  }
}
