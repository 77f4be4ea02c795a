package dev.velocity.preview.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** JSON encoding of the realtime protocol's payloads (one shared, thread-safe mapper). */
public final class EventJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private EventJson() {}

  /** The shared mapper (configured to ignore unknown properties, for forward compatibility). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The {@code data:} JSON of {@code event}. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses an event's {@code data:} JSON received under SSE event name {@code type}.
   *
   * @throws IllegalArgumentException when the JSON is malformed
   */
  public static ProjectEvent readEvent(String type, String json) {
    try {
      return MAPPER.readValue(json, ProjectEvent.class).withType(type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "malformed " + type + " event: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses {@code json} as {@code type}. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "malformed " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }
}
