package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostMappingTest {
  private final Path pod = Path.of("/tmp/kubelet/pods/ns_p_1");
  private final HostMapping mapping =
      new HostMapping(
          Map.of(
              "/workspace", pod.resolve("volumes/workspace"),
              "/var/lib/preview", pod.resolve("volumes/state"),
              "/var/run/preview", pod.resolve("volumes/token"),
              "/etc/app/config.yaml", pod.resolve("volumes/config/app.yaml")),
          Map.of(3000, 41000, 8081, 41001),
          pod.resolve("containers/dev/root"));

  @Test
  void mapsPathsThroughTheLongestMountAndOthersIntoThePrivateRoot() {
    assertThat(mapping.hostPath("/workspace")).isEqualTo(pod.resolve("volumes/workspace"));
    assertThat(mapping.hostPath("/workspace/src/App.tsx"))
        .isEqualTo(pod.resolve("volumes/workspace/src/App.tsx"));
    assertThat(mapping.hostPath("/var/run/preview/token"))
        .isEqualTo(pod.resolve("volumes/token/token"));
    assertThat(mapping.hostPath("/etc/app/config.yaml"))
        .isEqualTo(pod.resolve("volumes/config/app.yaml"));
    assertThat(mapping.mounted("/workspacex")).isEmpty();
    assertThat(mapping.mounted("/var/lib")).isEmpty();
    assertThat(mapping.hostPath("/var/lib/other"))
        .isEqualTo(pod.resolve("containers/dev/root/var/lib/other"));
  }

  @Test
  void rewritesPathsAtWordBoundariesInValuesAndScripts() {
    assertThat(mapping.rewriteValue("/workspace"))
        .isEqualTo(pod.resolve("volumes/workspace").toString());
    assertThat(mapping.rewriteValue("--root=/workspace/dist"))
        .isEqualTo("--root=" + pod.resolve("volumes/workspace") + "/dist");
    assertThat(mapping.rewriteValue("cat /workspace/a > '/var/lib/preview/b'; ls /workspacex /bin"))
        .isEqualTo(
            "cat "
                + pod.resolve("volumes/workspace")
                + "/a > '"
                + pod.resolve("volumes/state")
                + "/b'; ls /workspacex /bin");
    assertThat(mapping.rewriteValue("http://example.com/workspace/x"))
        .isEqualTo("http://example.com/workspace/x");
    assertThat(mapping.rewriteValue("PATH=/usr/bin:/workspace/node_modules/.bin"))
        .isEqualTo("PATH=/usr/bin:" + pod.resolve("volumes/workspace") + "/node_modules/.bin");
  }

  @Test
  void rewritesMappedPortsInEnvArgsAndLocalUrls() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", "3000");
    env.put("HEALTH_PORT", "8081");
    env.put("OTHER_PORT", "9999");
    env.put("COUNT", "3000");
    env.put("API", "http://localhost:8081/healthz and 127.0.0.1:3000 but not example.com:3000");
    assertThat(mapping.rewriteEnv(env))
        .containsExactly(
            Map.entry("PORT", "41000"),
            Map.entry("HEALTH_PORT", "41001"),
            Map.entry("OTHER_PORT", "9999"),
            Map.entry("COUNT", "3000"),
            Map.entry(
                "API",
                "http://localhost:41001/healthz and 127.0.0.1:41000 but not example.com:3000"));
    assertThat(
            mapping.rewriteArgs(
                List.of(
                    "serve",
                    "--port",
                    "3000",
                    "-p",
                    "8081",
                    "--port=3000",
                    "3000",
                    "--dir=/workspace")))
        .containsExactly(
            "serve",
            "--port",
            "41000",
            "-p",
            "41001",
            "--port=41000",
            "3000",
            "--dir=" + pod.resolve("volumes/workspace"));
  }
}
