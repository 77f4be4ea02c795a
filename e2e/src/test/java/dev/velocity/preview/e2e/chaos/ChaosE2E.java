package dev.velocity.preview.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.e2e.stack.BuiltJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quick chaos trial (one fixed seed): two projects, three sessions, a seeded workload of
 * upserts, deletes, bulk applies, empty, 5 MiB, unicode and deep files, rapid overwrites and
 * delete-then-recreate, while every fault kind is injected once and session tokens live one minute.
 * Afterwards every workspace equals its project byte for byte, the database holds every
 * acknowledged change, no temp file is left, and deleting the sessions leaves nothing behind.
 */
class ChaosE2E {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosE2E.class);
  private static final long SEED = 20261125L;

  @Test
  void everyWorkspaceConvergesAndNothingIsLostUnderEveryFault() throws Exception {
    Path dir = Files.createTempDirectory("chaos-e2e-");
    TrialResult r =
        ChaosTrial.run(
            ChaosParams.quick(SEED),
            SEED,
            dir,
            BuiltJar.AGENT.locate(System.getenv()),
            line -> LOG.info("chaos: {}", line));
    LOG.info("chaos result: {}", r);

    assertThat(r.findings()).as("findings").isEmpty();
    assertThat(r.lostInDatabase()).as("acknowledged edits missing from the database").isZero();
    assertThat(r.lostInWorkspaces()).as("paths differing in workspaces").isZero();
    assertThat(r.converged()).as("converged").isTrue();
    for (FaultKind kind : FaultKind.injectable()) {
      assertThat(r.faults().getOrDefault(kind, 0)).as("%s injected", kind).isPositive();
    }
    assertThat(r.faults().getOrDefault(FaultKind.SHORT_TOKENS, 0))
        .as("tokens rotated during the trial")
        .isPositive();
    assertThat(r.tokensExpired()).as("tokens expired during the trial").isPositive();
    assertThat(r.operations())
        .as("every kind of edit was made")
        .containsKeys(
            "upsert", "empty", "delete", "bulk", "rapid-overwrite", "delete-then-recreate", "big");
    assertThat(r.edits()).isGreaterThan(100);
    assertThat(Files.exists(dir)).as("the trial's stack directory is removed").isFalse();
  }
}
