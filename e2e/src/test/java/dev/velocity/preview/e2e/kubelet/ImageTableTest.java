package dev.velocity.preview.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTableTest {
  private final ImageTable table =
      ImageTable.defaults("ghcr.io/velocity/preview-agent:*", Path.of("/opt/agent.jar"));

  @Test
  void agentImageRunsTheLocalJarWithTheAgentCommand() {
    Container c =
        new ContainerBuilder()
            .withImage("ghcr.io/velocity/preview-agent:0.1.0")
            .withCommand("java", "-jar", "/app/preview-agent.jar")
            .withArgs("sync", "--health-port=8081")
            .build();
    ImageTable.Plan plan = table.plan(c);
    assertThat(plan.kind()).isEqualTo(ImageTable.Kind.AGENT);
    assertThat(plan.argv()).endsWith("-jar", "/opt/agent.jar", "sync", "--health-port=8081");
    assertThat(plan.args()).containsExactly("sync", "--health-port=8081");
    assertThat(plan.argv()).contains("-Xmx48m", "-XX:+UseSerialGC");
    assertThat(plan.argv().get(0)).endsWith("/bin/java");
    assertThat(table.isAgent(c)).isTrue();
  }

  @Test
  void shellImagesRunTheirCommandOnTheHostOthersGetTheStaticSite() {
    Container sh =
        new ContainerBuilder()
            .withImage("busybox:1.36")
            .withCommand("sh", "-c")
            .withArgs("echo hi")
            .build();
    assertThat(table.plan(sh))
        .isEqualTo(
            new ImageTable.Plan(
                ImageTable.Kind.HOST_COMMAND,
                java.util.List.of(),
                java.util.List.of("sh", "-c", "echo hi")));
    Container node =
        new ContainerBuilder().withImage("node:20-alpine").withCommand("npm", "run", "dev").build();
    assertThat(table.plan(node).kind()).isEqualTo(ImageTable.Kind.STATIC_SITE);
    assertThat(table.isAgent(node)).isFalse();
  }

  @Test
  void rulesFromAFileComeFirstAndBadLinesAreNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("images.conf");
    Files.writeString(file, "# dev servers\nnode:* = host_command npx vite --port $(PORT)\n");
    ImageTable withFile = table.withRulesFrom(file);
    Container node = new ContainerBuilder().withImage("node:20").build();
    assertThat(withFile.plan(node))
        .isEqualTo(
            new ImageTable.Plan(
                ImageTable.Kind.HOST_COMMAND,
                java.util.List.of(),
                java.util.List.of("npx", "vite", "--port", "$(PORT)")));

    Files.writeString(file, "node:* = docker run\n");
    assertThatThrownBy(() -> table.withRulesFrom(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + ":1: unknown kind 'docker' (agent|host_command|static_site)");
  }
}
