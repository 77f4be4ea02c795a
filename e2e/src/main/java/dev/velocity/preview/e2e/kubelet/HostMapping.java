package dev.velocity.preview.e2e.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns a container's view of the world into this machine's: paths and ports. A
 * container process here has no mount namespace and no network namespace, so what it is told must
 * already be host paths and host ports. The rules, in full:
 *
 * <ol>
 *   <li><b>Mounts.</b> A {@code volumeMount} {@code mountPath} (with its {@code subPath}) maps to
 *       the volume's directory under the pod directory. A container path maps through the longest
 *       mount that contains it; a path under no mount maps into the container's private root
 *       ({@code containers/<name>/root/...}), which stands in for the image's filesystem.
 *   <li><b>Values.</b> In env values and arguments every mount path standing at a word boundary is
 *       replaced by its host path: {@code /workspace/src}, {@code --root=/workspace}, {@code sh -c
 *       "cat /workspace/a > /out/b"}; and every mapped port of {@code localhost}/{@code 127.0.0.1}
 *       ({@code http://localhost:8081/healthz}) by its host port. Paths under no mount pass
 *       unchanged ({@code /bin/sh} stays): a host command is trusted like the pod's image.
 *   <li><b>Ports.</b> Every container port of the pod, every integer probe port, every integer
 *       value of an env variable named {@code *PORT} and the agent's health port get a free host
 *       port; the pod shares them like a pod shares its network namespace. An env variable whose
 *       name ends in {@code PORT} and whose value is a mapped container port gets the host port; so
 *       do {@code --port N}, {@code --port=N}, {@code -p N}.
 *   <li><b>The agent.</b> Agent containers get their defaults made explicit before these rules run:
 *       {@code WORKSPACE_DIR=/workspace}, {@code STATE_DIR=/var/lib/preview}, {@code
 *       TOKEN_FILE=/var/run/preview/token}, {@code HEALTH_PORT=8081} unless the pod sets them;
 *       these three paths map through the mounts or, unmounted, into the private root (exactly what
 *       an unmounted path inside an image would be: not shared with other containers).
 * </ol>
 */
public final class HostMapping {
  /** The agent's documented defaults (DESIGN.md §7), made explicit for agent containers. */
  public static final Map<String, String> AGENT_DEFAULTS =
      Map.of(
          "WORKSPACE_DIR", "/workspace",
          "STATE_DIR", "/var/lib/preview",
          "TOKEN_FILE", "/var/run/preview/token",
          "HEALTH_PORT", "8081");

  /** The agent's default health port, mapped like a declared container port. */
  public static final int AGENT_HEALTH_PORT = 8081;

  private static final Pattern LOCAL_PORT = Pattern.compile("(localhost|127\\.0\\.0\\.1):(\\d+)");

  private static final String BEFORE_PATH = " \t\n='\"(,:;<>|&";
  private static final String AFTER_PATH = "/ \t\n'\"),:;<>|&";

  private final NavigableMap<String, Path> mounts;
  private final List<String> longestFirst;
  private final Map<Integer, Integer> ports;
  private final Path privateRoot;

  /**
   * @param mounts container mount path → host path (file or directory)
   * @param ports container port → host port, shared by the whole pod
   * @param privateRoot the container's stand-in for its image filesystem
   */
  public HostMapping(Map<String, Path> mounts, Map<Integer, Integer> ports, Path privateRoot) {
    this.mounts = new TreeMap<>();
    mounts.forEach((k, v) -> this.mounts.put(normalize(k), v));
    this.longestFirst =
        this.mounts.keySet().stream()
            .filter(m -> !m.equals("/"))
            .sorted((a, b) -> b.length() - a.length())
            .toList();
    this.ports = Map.copyOf(ports);
    this.privateRoot = privateRoot;
  }

  /** The host path of {@code containerPath} if a mount contains it. */
  public Optional<Path> mounted(String containerPath) {
    if (containerPath == null || !containerPath.startsWith("/")) {
      return Optional.empty();
    }
    String path = normalize(containerPath);
    for (Map.Entry<String, Path> m = mounts.floorEntry(path); m != null; ) {
      String mount = m.getKey();
      if (path.equals(mount)) {
        return Optional.of(m.getValue());
      }
      if (mount.equals("/") || path.startsWith(mount + "/")) {
        String rest = mount.equals("/") ? path.substring(1) : path.substring(mount.length() + 1);
        return Optional.of(m.getValue().resolve(rest));
      }
      m = mounts.lowerEntry(mount);
    }
    return Optional.empty();
  }

  /** The host path of {@code containerPath}: through a mount, else inside the private root. */
  public Path hostPath(String containerPath) {
    return mounted(containerPath)
        .orElseGet(() -> privateRoot.resolve(normalize(containerPath).substring(1)));
  }

  /** The host port of a container port, if mapped. */
  public Optional<Integer> hostPort(int containerPort) {
    return Optional.ofNullable(ports.get(containerPort));
  }

  /** Container port → host port for the whole pod. */
  public Map<Integer, Integer> ports() {
    return ports;
  }

  /** The container's private root (its image filesystem stand-in). */
  public Path privateRoot() {
    return privateRoot;
  }

  /** Rewrites an environment (rules 2 and 3), keeping its order. */
  public Map<String, String> rewriteEnv(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.endsWith("PORT") && isMappedPort(value)) {
            out.put(name, String.valueOf(ports.get(Integer.parseInt(value))));
          } else {
            out.put(name, rewriteValue(value));
          }
        });
    return out;
  }

  /** Rewrites a command line (rules 2 and 3). */
  public List<String> rewriteArgs(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String previous = i > 0 ? args.get(i - 1) : "";
      boolean portFlag = previous.equals("-p") || previous.endsWith("-port");
      if (portFlag && isMappedPort(arg)) {
        out.add(String.valueOf(ports.get(Integer.parseInt(arg))));
        continue;
      }
      int eq = arg.indexOf('=');
      if (arg.startsWith("-") && eq > 0 && arg.substring(0, eq).endsWith("port")) {
        String value = arg.substring(eq + 1);
        if (isMappedPort(value)) {
          out.add(arg.substring(0, eq + 1) + ports.get(Integer.parseInt(value)));
          continue;
        }
      }
      out.add(rewriteValue(arg));
    }
    return out;
  }

  /**
   * Rewrites one value: every mount path in it that stands at a word boundary ({@code /workspace},
   * {@code --root=/workspace/src}, {@code sh -c "cat /workspace/a > /out/b"}) becomes the host
   * path, and every mapped port of {@code localhost}/{@code 127.0.0.1} the host port.
   */
  public String rewriteValue(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    String paths = rewritePaths(value);
    Matcher m = LOCAL_PORT.matcher(paths);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Integer host = parsePort(m.group(2)).map(ports::get).orElse(null);
      m.appendReplacement(
          out, Matcher.quoteReplacement(host == null ? m.group() : m.group(1) + ":" + host));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String rewritePaths(String value) {
    StringBuilder out = new StringBuilder(value.length() + 64);
    int i = 0;
    scan:
    while (i < value.length()) {
      if (value.charAt(i) == '/' && (i == 0 || BEFORE_PATH.indexOf(value.charAt(i - 1)) >= 0)) {
        for (String mount : longestFirst) {
          int end = i + mount.length();
          if (value.startsWith(mount, i)
              && (end == value.length() || AFTER_PATH.indexOf(value.charAt(end)) >= 0)) {
            out.append(mounts.get(mount));
            i = end;
            continue scan;
          }
        }
      }
      out.append(value.charAt(i));
      i++;
    }
    return out.toString();
  }

  private boolean isMappedPort(String value) {
    return parsePort(value).map(ports::containsKey).orElse(false);
  }

  private static Optional<Integer> parsePort(String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > 5
        || !value.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(value));
  }

  private static String normalize(String path) {
    String p = Path.of(path).normalize().toString();
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
