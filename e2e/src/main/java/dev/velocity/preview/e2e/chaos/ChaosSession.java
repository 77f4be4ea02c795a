package dev.velocity.preview.e2e.chaos;

/**
 * A session of the trial and the project it previews.
 *
 * @param name the PreviewSession's name
 * @param project the project's index in the trial
 */
record ChaosSession(String name, int project) {}
