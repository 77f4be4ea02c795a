package dev.velocity.preview.operator.reconciler;

import dev.velocity.preview.crds.PreviewSessionStatus;
import dev.velocity.preview.crds.SessionPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The events a status change is worth: one per phase change, one per condition that flips or moves
 * from one failure to another.
 */
public final class SessionTransitions {

  private SessionTransitions() {}

  /** Events for the change from {@code before} (null for a new session) to {@code after}. */
  public static List<SessionEvent> between(
      PreviewSessionStatus before, PreviewSessionStatus after) {
    List<SessionEvent> events = new ArrayList<>();
    SessionPhase oldPhase = before == null ? null : before.getPhase();
    if (after.getPhase() != oldPhase) {
      boolean warning =
          after.getPhase() == SessionPhase.Failed || after.getPhase() == SessionPhase.Pending;
      events.add(
          new SessionEvent(
              warning,
              after.getPhase().name(),
              "Phase "
                  + (oldPhase == null ? "(new)" : oldPhase.name())
                  + " -> "
                  + after.getPhase()
                  + ": "
                  + after.getMessage()));
    }
    for (Condition condition : after.getConditions()) {
      Optional<Condition> old =
          before == null
              ? Optional.empty()
              : ConditionSet.find(before.getConditions(), condition.getType());
      boolean flipped =
          old.map(o -> !Objects.equals(o.getStatus(), condition.getStatus())).orElse(true);
      boolean newFailure =
          ConditionSet.FALSE.equals(condition.getStatus())
              && SessionReasons.FAILURES.contains(condition.getReason())
              && old.map(o -> !Objects.equals(o.getReason(), condition.getReason())).orElse(true);
      boolean worthTelling =
          flipped && !(old.isEmpty() && ConditionSet.UNKNOWN.equals(condition.getStatus()));
      if (worthTelling || newFailure) {
        boolean warning = SessionReasons.FAILURES.contains(condition.getReason());
        events.add(
            new SessionEvent(
                warning,
                condition.getReason(),
                condition.getType() + "=" + condition.getStatus() + ": " + condition.getMessage()));
      }
    }
    return events;
  }
}
