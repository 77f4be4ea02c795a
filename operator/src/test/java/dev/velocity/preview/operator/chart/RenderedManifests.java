package dev.velocity.preview.operator.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The documents of one {@code helm template} output, parsed into fabric8 model objects. */
final class RenderedManifests {

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private final List<HasMetadata> objects;

  private RenderedManifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  static RenderedManifests parse(String rendered) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      objects.add(Serialization.unmarshal(document, HasMetadata.class));
    }
    return new RenderedManifests(objects);
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Objects of a kind fabric8 has no model class for (ServiceMonitor). */
  List<GenericKubernetesResource> generic(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(r -> kind.equals(r.getKind()))
        .toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    type.getSimpleName() + " " + name + " not rendered; rendered: " + names()));
  }

  <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
    return all(type).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .filter(o -> namespace.equals(o.getMetadata().getNamespace()))
        .findFirst()
        .orElseThrow(
            () -> new NoSuchElementException(type.getSimpleName() + " " + namespace + "/" + name));
  }

  /** Every pod template of the release (Deployments and Jobs), by "Kind/name". */
  Map<String, PodSpec> podSpecs() {
    Map<String, PodSpec> specs = new LinkedHashMap<>();
    all(Deployment.class)
        .forEach(d -> specs.put("Deployment/" + name(d), d.getSpec().getTemplate().getSpec()));
    all(Job.class).forEach(j -> specs.put("Job/" + name(j), j.getSpec().getTemplate().getSpec()));
    return specs;
  }

  /** Every container (init and regular) of every pod template, by "Kind/name/container". */
  Map<String, Container> containers() {
    Map<String, Container> containers = new LinkedHashMap<>();
    podSpecs()
        .forEach(
            (pod, spec) ->
                Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
                    .forEach(c -> containers.put(pod + "/" + c.getName(), c)));
    return containers;
  }

  Map<String, String> configData() {
    return get(ConfigMap.class, ChartUnderTest.FULLNAME + "-config").getData();
  }

  List<String> names() {
    return objects.stream().map(o -> o.getKind() + "/" + name(o)).toList();
  }

  static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }
}
