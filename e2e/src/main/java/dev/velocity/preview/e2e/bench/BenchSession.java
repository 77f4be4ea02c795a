package dev.velocity.preview.e2e.bench;

import java.net.URI;
import java.nio.file.Path;

/** A running benchmark session: its project, its workspace on disk and its dev server. */
record BenchSession(String name, BenchProjectState project, Path workspace, URI site) {}
