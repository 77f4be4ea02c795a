package dev.velocity.preview.operator.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart at {@code charts/preview-operator}, linted and rendered with the Helm library embedded
 * in helm-java (no binary, no cluster).
 *
 * <p>helm-java's {@code template} runs Helm's install in dry-run mode, which sends the chart's
 * {@code lookup} calls to a cluster (unlike the {@code helm template} command, where a lookup finds
 * nothing). The chart keeps its only lookup in {@code templates/_lookup.tpl}; renders use a copy of
 * the chart in which that one file is replaced by a stand-in answering from a fixed set of Secrets
 * ({@link #withExistingSecrets}), by default none, which is what {@code helm template} and a first
 * install see.
 *
 * <p>helm-java's {@code template} also prints only the release's manifest, not its hooks. In the
 * rendering copy, the {@code helm.sh/hook} annotations are renamed to {@value #HOOK_ANNOTATION}
 * (and {@code -weight}, {@code -delete-policy}), so that the hook objects render as ordinary
 * objects that still carry their hook settings.
 */
final class ChartUnderTest {

  static final String RELEASE = "pvo";
  static final String NAMESPACE = "preview-system";
  static final String FULLNAME = "pvo-preview-operator";
  static final String KUBE_VERSION = "1.31.0";
  static final Path SOURCE = locate();
  static final String LOOKUP_FILE = "templates/_lookup.tpl";
  static final String HOOK_ANNOTATION = "test.helm.sh/hook";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Map<String, Map<String, String>>, ChartUnderTest> COPIES =
      new ConcurrentHashMap<>();
  private static final Map<String, RenderedManifests> RENDERS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Map<String, Map<String, String>> existingSecrets;

  private ChartUnderTest(Path directory, Map<String, Map<String, String>> existingSecrets) {
    this.directory = directory;
    this.existingSecrets = existingSecrets;
  }

  /** The chart as a first install sees it: no Secret of the release exists yet. */
  static ChartUnderTest firstInstall() {
    return withExistingSecrets(Map.of());
  }

  /**
   * The chart as an upgrade sees it: {@code lookup} of these Secret names (in the release
   * namespace) returns these {@code data} maps (values base64, as the API server returns them).
   */
  static ChartUnderTest withExistingSecrets(Map<String, Map<String, String>> secrets) {
    return COPIES.computeIfAbsent(
        Map.copyOf(secrets), s -> new ChartUnderTest(copyWithLookupStandIn(s), s));
  }

  /** Renders with these values (YAML merged over values.yaml); cached per chart and values. */
  RenderedManifests render(String valuesYaml) {
    return RENDERS.computeIfAbsent(
        directory + "\n" + valuesYaml, key -> RenderedManifests.parse(renderRaw(valuesYaml)));
  }

  /** Renders without cache or parsing; Helm's failure surfaces as IllegalStateException. */
  String renderRaw(String valuesYaml) {
    Path values = write("values-", valuesYaml);
    try {
      return new Helm(directory)
          .template()
          .withName(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeVersion(KUBE_VERSION)
          .withValuesFile(values)
          .call();
    } finally {
      delete(values);
    }
  }

  /**
   * {@code helm lint --strict} of a copy of the chart whose values.yaml is the chart's own merged
   * with these values (helm-java's lint takes no values; lint reads the chart's values.yaml).
   */
  static LintResult lintStrict(String valuesYaml) {
    Path copy = copy(SOURCE);
    try {
      ObjectNode merged = (ObjectNode) YAML.readTree(SOURCE.resolve("values.yaml").toFile());
      if (!valuesYaml.isBlank()) {
        merge(merged, (ObjectNode) YAML.readTree(valuesYaml));
      }
      YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(copy);
    }
  }

  /** Helm's merge of values: maps merge key by key, anything else replaces. */
  private static void merge(ObjectNode into, ObjectNode from) {
    from.fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isObject() && into.get(field.getKey()) instanceof ObjectNode o) {
                merge(o, (ObjectNode) field.getValue());
              } else {
                into.set(field.getKey(), field.getValue());
              }
            });
  }

  Map<String, Map<String, String>> existingSecrets() {
    return existingSecrets;
  }

  private static Path copyWithLookupStandIn(Map<String, Map<String, String>> secrets) {
    Path copy = copy(SOURCE);
    try {
      String standIn =
          "{{- define \"preview-operator.existingSecretData\" -}}\n"
              + "{{- $secrets := `"
              + JSON.writeValueAsString(secrets)
              + "` | fromJson }}\n"
              + "{{- get $secrets (index . 1) | default dict | toJson }}\n"
              + "{{- end }}\n";
      Path lookup = copy.resolve(LOOKUP_FILE);
      if (!Files.readString(lookup).contains("lookup \"v1\" \"Secret\"")) {
        throw new IllegalStateException(LOOKUP_FILE + " no longer holds the chart's lookup");
      }
      Files.writeString(lookup, standIn);
      try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
        for (Path file :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".yaml"))::iterator) {
          Files.writeString(file, Files.readString(file).replace("helm.sh/hook", HOOK_ANNOTATION));
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path chart = dir.resolve("charts/preview-operator/Chart.yaml");
      if (Files.isRegularFile(chart)) {
        return chart.getParent();
      }
    }
    throw new IllegalStateException(
        "charts/preview-operator not found above the working directory");
  }

  private static Path copy(Path source) {
    try {
      Path target = Files.createTempDirectory("chart-").resolve("preview-operator");
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path to = target.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(to);
          } else {
            Files.copy(file, to);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(String prefix, String content) {
    try {
      Path file = Files.createTempFile(prefix, ".yaml");
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path chartCopy) {
    try (Stream<Path> files = Files.walk(chartCopy.getParent())) {
      files.sorted(Comparator.reverseOrder()).forEach(ChartUnderTest::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
