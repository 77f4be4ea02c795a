package dev.velocity.preview.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "src/App.tsx",
        "README",
        "a/b/c/d/e/f.txt",
        "dir with spaces/file name.md",
        "émoji/😀.txt",
        "日本語/ファイル.ts",
        ".env",
        "..hidden",
        "a..b/c...d",
        "file.",
        "-dash/_under/~tilde",
      })
  void acceptsLegalUnusualPaths(String path) {
    assertThat(PathRules.violation(path)).isEmpty();
    assertThat(PathRules.require(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/etc/passwd",
        "../escape",
        "a/../../b",
        "a/./b",
        ".",
        "..",
        "a//b",
        "a/",
        "a\\b",
        "C:\\windows",
        "a\u0000b",
        "a\nb",
        "a\tb",
        "a\u007fb",
        "a\u0085b",
        "a\u009fb",
        "\ud800x",
      })
  void rejectsHostilePaths(String path) {
    assertThat(PathRules.violation(path)).isPresent();
    assertThatThrownBy(() -> PathRules.require(path))
        .isInstanceOf(InvalidPathException.class)
        .hasMessageStartingWith("invalid file path ");
  }

  @Test
  void nullIsRejected() {
    assertThat(PathRules.violation(null)).contains("path is empty");
  }

  @Test
  void enforcesByteLimitsNotCharLimits() {
    String segment255 = "a".repeat(255);
    assertThat(PathRules.isValid(segment255)).isTrue();
    assertThat(PathRules.violation("a".repeat(256)))
        .contains("path has a segment longer than 255 bytes");
    // 128 two-byte characters = 256 bytes in one segment
    assertThat(PathRules.isValid("é".repeat(128))).isFalse();
    String path1024 = String.join("/", segment255, segment255, segment255, "a".repeat(254), "x");
    assertThat(path1024).hasSize(1024);
    assertThat(PathRules.isValid(path1024)).isTrue();
    assertThat(PathRules.violation(path1024 + "b")).contains("path is longer than 1024 bytes");
  }

  @Test
  void namesTheRuleAndEscapesControlCharactersInTheMessage() {
    assertThatThrownBy(() -> PathRules.require("bad\u0001name"))
        .hasMessage(
            "invalid file path \"bad\\u0001name\": path contains the control character U+0001 at"
                + " index 3");
    assertThatThrownBy(() -> PathRules.require("../x"))
        .hasMessage("invalid file path \"../x\": path has a '..' segment");
  }
}
