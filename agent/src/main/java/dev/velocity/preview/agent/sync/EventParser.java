package dev.velocity.preview.agent.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.velocity.preview.protocol.FileChange;
import dev.velocity.preview.protocol.ProjectEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an event's {@code data:} JSON into a {@link ProjectEvent} with jackson-core's streaming
 * parser, field by field. It accepts what {@code EventJson}'s mapper accepts for these records
 * (unknown fields skipped, {@code null} and absent fields as defaults, numbers given as strings)
 * but runs a small fraction of its code: an agent applies a few events a second, so its code stays
 * interpreted, and data binding (property buffering, the record creator, deserializer lookup) was a
 * large part of the CPU each delivery cost; its first use also loaded and initialised hundreds of
 * classes.
 */
public final class EventParser {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EventParser() {}

  /**
   * The event of SSE type {@code type} whose data is {@code json} (UTF-8).
   *
   * @throws IOException when the JSON is malformed or a field has the wrong kind of value
   */
  public static ProjectEvent parse(String type, byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      String projectId = null;
      long revision = 0;
      String filePath = null;
      String fileType = null;
      String content = null;
      String contentHash = null;
      Integer version = null;
      List<FileChange> files = null;
      String timestamp = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "projectId" -> projectId = string(p);
          case "revision" -> revision = longValue(p);
          case "filePath" -> filePath = string(p);
          case "fileType" -> fileType = string(p);
          case "content" -> content = string(p);
          case "contentHash" -> contentHash = string(p);
          case "version" -> version = p.currentToken() == JsonToken.VALUE_NULL ? null : intValue(p);
          case "files" -> files = files(p);
          case "timestamp" -> timestamp = string(p);
          default -> p.skipChildren();
        }
      }
      expect(p, t, JsonToken.END_OBJECT);
      return new ProjectEvent(
          type,
          projectId,
          revision,
          filePath,
          fileType,
          content,
          contentHash,
          version,
          files,
          timestamp);
    }
  }

  private static List<FileChange> files(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, p.currentToken(), JsonToken.START_ARRAY);
    List<FileChange> files = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      files.add(change(p));
    }
    expect(p, t, JsonToken.END_ARRAY);
    return files;
  }

  private static FileChange change(JsonParser p) throws IOException {
    String op = null;
    String filePath = null;
    String fileType = null;
    String content = null;
    String contentHash = null;
    int version = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "op" -> op = string(p);
        case "filePath" -> filePath = string(p);
        case "fileType" -> fileType = string(p);
        case "content" -> content = string(p);
        case "contentHash" -> contentHash = string(p);
        case "version" -> version = p.currentToken() == JsonToken.VALUE_NULL ? 0 : intValue(p);
        default -> p.skipChildren();
      }
    }
    expect(p, t, JsonToken.END_OBJECT);
    return new FileChange(op, filePath, fileType, content, contentHash, version);
  }

  private static String string(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getText();
    }
    throw new JsonParseException(p, "field \"" + p.currentName() + "\" is not a string: " + t);
  }

  private static long longValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(p.getText().trim());
      } catch (NumberFormatException e) {
        throw new JsonParseException(p, "field \"" + p.currentName() + "\" is not a number");
      }
    }
    throw new JsonParseException(p, "field \"" + p.currentName() + "\" is not a number: " + t);
  }

  private static int intValue(JsonParser p) throws IOException {
    long v = longValue(p);
    if (v != (int) v) {
      throw new JsonParseException(p, "field \"" + p.currentName() + "\" is out of range: " + v);
    }
    return (int) v;
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected)
      throws JsonParseException {
    if (actual != expected) {
      throw new JsonParseException(p, "expected " + expected + " but found " + actual);
    }
  }
}
