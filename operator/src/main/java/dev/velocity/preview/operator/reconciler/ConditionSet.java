package dev.velocity.preview.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a status's conditions from the previous ones: {@code lastTransitionTime} moves only when a
 * condition's status flips (True/False/Unknown), not when its reason or message changes.
 */
final class ConditionSet {

  static final String TRUE = "True";
  static final String FALSE = "False";
  static final String UNKNOWN = "Unknown";

  private final List<Condition> previous;
  private final Long generation;
  private final String now;
  private final List<Condition> conditions = new ArrayList<>();

  ConditionSet(List<Condition> previous, Long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  ConditionSet set(String type, String status, String reason, String message) {
    String transition =
        find(previous, type)
            .filter(p -> status.equals(p.getStatus()) && p.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(transition)
            .withObservedGeneration(generation)
            .build());
    return this;
  }

  List<Condition> conditions() {
    return List.copyOf(conditions);
  }

  static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
