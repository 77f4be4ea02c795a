package dev.velocity.preview.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  @Test
  void updateRoundTripsWithTheContractFieldNames() {
    ProjectEvent e =
        ProjectEvent.update(
            "p1",
            42,
            "src/App.tsx",
            "typescript",
            "x",
            ContentHash.sha256Hex("x"),
            7,
            "2026-01-01T00:00:00Z");
    String json = EventJson.write(e);
    assertThat(json)
        .isEqualTo(
            "{\"projectId\":\"p1\",\"revision\":42,\"filePath\":\"src/App.tsx\",\"fileType\":\"typescript\","
                + "\"content\":\"x\",\"contentHash\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\","
                + "\"version\":7,\"timestamp\":\"2026-01-01T00:00:00Z\"}");
    assertThat(EventJson.readEvent(EventType.FILE_UPDATE, json)).isEqualTo(e);
  }

  @Test
  void deleteCarriesOnlyPathAndVersion() {
    ProjectEvent e = ProjectEvent.delete("p1", 43, "a.txt", 3, "t");
    assertThat(EventJson.write(e))
        .isEqualTo(
            "{\"projectId\":\"p1\",\"revision\":43,\"filePath\":\"a.txt\",\"version\":3,\"timestamp\":\"t\"}");
  }

  @Test
  void bulkCarriesItsFiles() {
    ProjectEvent e =
        ProjectEvent.bulk(
            "p1",
            44,
            List.of(
                new FileChange(FileChange.UPSERT, "a", "text", "A", ContentHash.sha256Hex("A"), 1),
                new FileChange(FileChange.DELETE, "b", null, null, null, 2)),
            "t");
    ProjectEvent back = EventJson.readEvent(EventType.BULK_APPLY, EventJson.write(e));
    assertThat(back).isEqualTo(e);
    assertThat(back.files().get(1).isDelete()).isTrue();
    assertThat(EventJson.write(e)).contains("{\"op\":\"delete\",\"filePath\":\"b\",\"version\":2}");
  }

  @Test
  void malformedJsonIsAnIllegalArgument() {
    assertThatThrownBy(() -> EventJson.readEvent(EventType.FILE_UPDATE, "{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed file:update event:");
  }

  @Test
  void unknownFieldsAreIgnoredForForwardCompatibility() {
    ProjectEvent e =
        EventJson.readEvent(
            EventType.FILE_DELETE,
            "{\"projectId\":\"p\",\"revision\":1,\"filePath\":\"a\",\"version\":1,\"new\":1}");
    assertThat(e.filePath()).isEqualTo("a");
    assertThat(e.type()).isEqualTo(EventType.FILE_DELETE);
  }
}
