package dev.velocity.preview.e2e.chaos;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A project of the trial and what its writer knows it holds: every path whose write was
 * acknowledged (committed and answered), with the SHA-256 of its content. Only the project's one
 * writer thread changes it, so it is exactly the state the database must end in.
 *
 * @param index the project's index in the trial
 * @param owner its owner (the writes are made as this user)
 * @param id the project
 * @param acknowledged path → content hash of the last acknowledged write
 */
record ChaosProject(int index, UUID owner, UUID id, Map<String, String> acknowledged) {
  static ChaosProject of(int index, UUID owner, UUID id) {
    return new ChaosProject(index, owner, id, new ConcurrentHashMap<>());
  }
}
