package dev.velocity.preview.e2e.kubelet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A container resolved for this machine: what runs, with which environment (container view for
 * probes' {@code $(VAR)}, host view for the process), where, logging where, and for the built-in
 * site server which directory on which host port.
 */
record LaunchSpec(
    ImageTable.Kind kind,
    List<String> argv,
    Map<String, String> containerEnv,
    Map<String, String> hostEnv,
    Path workDir,
    Path log,
    HostMapping mapping,
    Path siteRoot,
    int siteHostPort) {}
