package dev.velocity.preview.e2e.kubelet;

import dev.velocity.preview.agent.SharedHostJvmFlags;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which local program stands in for which container image. Rules are tried in order; the first
 * whose glob matches the image wins:
 *
 * <ul>
 *   <li>{@link Kind#AGENT}: the preview agent image runs {@code java <flags> -jar <agent jar>} with
 *       the container's agent command ({@code hydrate} / {@code sync} and what follows);
 *   <li>{@link Kind#HOST_COMMAND}: a shell-like image runs the container's {@code command} + {@code
 *       args} on this machine (or the rule's own command template, with {@code $(VAR)} references
 *       to the container's environment);
 *   <li>{@link Kind#STATIC_SITE}: the built-in static HTTP server of the workspace on the
 *       container's first port: the default for any other image (a dev server).
 * </ul>
 */
public final class ImageTable {
  /** What runs a container. */
  public enum Kind {
    AGENT,
    HOST_COMMAND,
    STATIC_SITE
  }

  /** One rule: images matching {@code glob} run as {@code kind}, optionally with a command. */
  public record Rule(String glob, Kind kind, List<String> command) {
    public Rule {
      Objects.requireNonNull(glob, "glob");
      Objects.requireNonNull(kind, "kind");
      command = List.copyOf(command);
    }

    boolean matches(String image) {
      return toRegex(glob).matcher(image).matches();
    }
  }

  /**
   * The launch decision for one container.
   *
   * @param kind what runs it
   * @param program this machine's program and its own options (host paths: never rewritten)
   * @param args the container's part of the command line (container paths: rewritten by {@link
   *     HostMapping} after {@code $(VAR)} expansion)
   */
  public record Plan(Kind kind, List<String> program, List<String> args) {
    /** The whole command line, before expansion and rewriting. */
    public List<String> argv() {
      List<String> all = new ArrayList<>(program);
      all.addAll(args);
      return all;
    }
  }

  /** JVM flags for every agent process: see {@link SharedHostJvmFlags}. */
  public static final List<String> AGENT_JVM_FLAGS = SharedHostJvmFlags.FLAGS;

  /**
   * The flags plus the agent's AppCDS archive when the build made one beside the jar ({@code
   * preview-agent.jsa}); a stale archive is ignored by the JVM and only costs start-up time.
   */
  public static List<String> agentJvmFlags(Path agentJar) {
    Path archive = agentJar.resolveSibling("preview-agent.jsa");
    if (!Files.isRegularFile(archive)) {
      return AGENT_JVM_FLAGS;
    }
    List<String> flags = new ArrayList<>(AGENT_JVM_FLAGS);
    flags.add("-XX:SharedArchiveFile=" + archive);
    flags.add("-Xlog:cds=off,cds+dynamic=off");
    return List.copyOf(flags);
  }

  private static final List<String> AGENT_COMMANDS = List.of("hydrate", "sync");

  private final List<Rule> rules;
  private final Path javaBinary;
  private final Path agentJar;
  private final List<String> agentJvmFlags;

  private ImageTable(List<Rule> rules, Path javaBinary, Path agentJar, List<String> flags) {
    this.rules = List.copyOf(rules);
    this.javaBinary = javaBinary;
    this.agentJar = agentJar;
    this.agentJvmFlags = List.copyOf(flags);
  }

  /**
   * The default table: {@code agentImageGlob} → the agent jar; busybox, alpine, debian, ubuntu and
   * bash images → host commands; everything else → the static site server.
   */
  public static ImageTable defaults(String agentImageGlob, Path agentJar) {
    List<Rule> rules = new ArrayList<>();
    rules.add(new Rule(agentImageGlob, Kind.AGENT, List.of()));
    for (String shell : List.of("busybox", "alpine", "debian", "ubuntu", "bash")) {
      rules.add(new Rule(shell, Kind.HOST_COMMAND, List.of()));
      rules.add(new Rule(shell + ":*", Kind.HOST_COMMAND, List.of()));
      rules.add(new Rule("*/" + shell + ":*", Kind.HOST_COMMAND, List.of()));
    }
    return new ImageTable(
        rules,
        Path.of(System.getProperty("java.home"), "bin", "java"),
        agentJar,
        agentJvmFlags(agentJar));
  }

  /** This table with {@code rule} tried before every other rule. */
  public ImageTable withFirst(Rule rule) {
    List<Rule> all = new ArrayList<>();
    all.add(rule);
    all.addAll(rules);
    return new ImageTable(all, javaBinary, agentJar, agentJvmFlags);
  }

  /** This table with other JVM flags for agent processes. */
  public ImageTable withAgentJvmFlags(List<String> flags) {
    return new ImageTable(rules, javaBinary, agentJar, flags);
  }

  /**
   * Adds rules from a file of lines {@code <glob> = <kind> [command ...]}, e.g. {@code node:* =
   * host_command npx vite --port $(PORT)}; {@code #} starts a comment. File rules come first.
   */
  public ImageTable withRulesFrom(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image table " + file, e);
    }
    ImageTable table = this;
    List<Rule> parsed = new ArrayList<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(file + ":" + n + ": expected '<glob> = <kind> [cmd]'");
      }
      List<String> words = Arrays.asList(line.substring(eq + 1).strip().split("\\s+"));
      Kind kind;
      try {
        kind = Kind.valueOf(words.get(0).toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file
                + ":"
                + n
                + ": unknown kind '"
                + words.get(0)
                + "' (agent|host_command|static_site)");
      }
      parsed.add(new Rule(line.substring(0, eq).strip(), kind, words.subList(1, words.size())));
    }
    for (int i = parsed.size() - 1; i >= 0; i--) {
      table = table.withFirst(parsed.get(i));
    }
    return table;
  }

  /** The agent jar agent images run. */
  public Path agentJar() {
    return agentJar;
  }

  /** Decides how {@code container} runs (before {@code $(VAR)} expansion). */
  public Plan plan(Container container) {
    String image = Objects.requireNonNullElse(container.getImage(), "");
    List<String> commandAndArgs = new ArrayList<>(container.getCommand());
    commandAndArgs.addAll(container.getArgs());
    for (Rule rule : rules) {
      if (!rule.matches(image)) {
        continue;
      }
      switch (rule.kind()) {
        case AGENT:
          return new Plan(Kind.AGENT, agentProgram(), agentArgs(commandAndArgs));
        case HOST_COMMAND:
          return new Plan(
              Kind.HOST_COMMAND,
              List.of(),
              rule.command().isEmpty() ? commandAndArgs : rule.command());
        default:
          return new Plan(Kind.STATIC_SITE, List.of(), List.of());
      }
    }
    return new Plan(Kind.STATIC_SITE, List.of(), List.of());
  }

  /** True when {@code container} runs the agent (so it gets the agent's path defaults). */
  public boolean isAgent(Container container) {
    String image = Objects.requireNonNullElse(container.getImage(), "");
    return rules.stream().filter(r -> r.matches(image)).findFirst().map(Rule::kind).orElse(null)
        == Kind.AGENT;
  }

  private List<String> agentProgram() {
    List<String> argv = new ArrayList<>();
    argv.add(javaBinary.toString());
    argv.addAll(agentJvmFlags);
    argv.add("-jar");
    argv.add(agentJar.toString());
    return argv;
  }

  /** The image's own entrypoint (java -jar /app/agent.jar ...) is replaced by the local jar. */
  private static List<String> agentArgs(List<String> commandAndArgs) {
    for (int i = 0; i < commandAndArgs.size(); i++) {
      if (AGENT_COMMANDS.contains(commandAndArgs.get(i))) {
        return List.copyOf(commandAndArgs.subList(i, commandAndArgs.size()));
      }
    }
    return List.copyOf(commandAndArgs);
  }

  private static Pattern toRegex(String glob) {
    List<String> quoted = new ArrayList<>();
    for (String part : glob.split("\\*", -1)) {
      quoted.add(Pattern.quote(part));
    }
    return Pattern.compile(String.join(".*", quoted));
  }
}
