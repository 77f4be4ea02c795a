package dev.velocity.preview.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.protocol.EventJson;
import dev.velocity.preview.protocol.EventType;
import dev.velocity.preview.protocol.FileChange;
import dev.velocity.preview.protocol.ProjectEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventParserTest {
  private static final String P = "3f0e1c9a-1111-4222-8333-444455556666";
  private static final String T = "2026-11-25T12:00:00.123456Z";

  private static ProjectEvent parse(String type, String json) throws IOException {
    return EventParser.parse(type, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The streaming parser and the shared data-binding mapper read the same event. */
  private static void assertSameAsMapper(ProjectEvent e) throws IOException {
    String json = EventJson.write(e);
    assertThat(parse(e.type(), json)).isEqualTo(EventJson.readEvent(e.type(), json)).isEqualTo(e);
  }

  @Test
  void readsUpdatesDeletesAndBulksAsTheMapperDoes() throws IOException {
    String content = "line \"one\"\n\ttab \\ back – ünïcödé 🚀 \u0001 </script>";
    assertSameAsMapper(
        ProjectEvent.update(
            P, 42, "src/ä b.tsx", "typescript", content, ContentHash.sha256Hex(content), 7, T));
    assertSameAsMapper(ProjectEvent.delete(P, 43, "src/old.ts", 3, T));
    assertSameAsMapper(
        ProjectEvent.bulk(
            P,
            44,
            List.of(
                new FileChange(
                    FileChange.UPSERT, "a.ts", "text", "x", ContentHash.sha256Hex("x"), 1),
                new FileChange(FileChange.DELETE, "b.ts", null, null, null, 2)),
            T));
    assertSameAsMapper(ProjectEvent.bulk(P, 45, List.of(), T));
  }

  @Test
  void skipsUnknownFieldsAndAcceptsNullsAndNumbersAsStrings() throws IOException {
    ProjectEvent e =
        parse(
            EventType.FILE_UPDATE,
            "{\"future\":{\"nested\":[1,{\"a\":null}]},\"revision\":\"12\",\"projectId\":\""
                + P
                + "\",\"filePath\":\"a.ts\",\"content\":\"x\",\"contentHash\":null,"
                + "\"version\":null,\"files\":null,\"type\":\"ignored\",\"extra\":[true]}");
    assertThat(e)
        .isEqualTo(
            new ProjectEvent(
                EventType.FILE_UPDATE, P, 12, "a.ts", null, "x", null, null, null, null));
  }

  @Test
  void refusesMalformedJsonWithAMessageNamingTheProblem() {
    assertThatThrownBy(() -> parse(EventType.FILE_UPDATE, "[1]"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("expected START_OBJECT but found START_ARRAY");
    assertThatThrownBy(() -> parse(EventType.FILE_UPDATE, "{\"revision\":\"x1\"}"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("field \"revision\" is not a number");
    assertThatThrownBy(() -> parse(EventType.FILE_UPDATE, "{\"content\":{\"a\":1}}"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("field \"content\" is not a string: START_OBJECT");
    assertThatThrownBy(() -> parse(EventType.BULK_APPLY, "{\"files\":[1]}"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("expected END_ARRAY but found VALUE_NUMBER_INT");
    assertThatThrownBy(() -> parse(EventType.FILE_UPDATE, "{\"version\":9999999999}"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("field \"version\" is out of range: 9999999999");
    assertThatThrownBy(() -> parse(EventType.FILE_UPDATE, "{\"content\":\"unterminated"))
        .isInstanceOf(IOException.class);
  }
}
