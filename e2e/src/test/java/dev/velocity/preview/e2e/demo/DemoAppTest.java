package dev.velocity.preview.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.protocol.PathRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoAppTest {
  @Test
  void generatesTheRequestedNumberOfValidDistinctFilesDeterministically() {
    List<FileChangeRequest> files = DemoApp.files(300, 7);
    assertThat(files).hasSize(300);
    assertThat(files).extracting(FileChangeRequest::path).doesNotHaveDuplicates().isSorted();
    assertThat(files)
        .allSatisfy(f -> assertThat(PathRules.isValid(f.path())).as(f.path()).isTrue());
    assertThat(files)
        .extracting(FileChangeRequest::path)
        .contains("index.html", "package.json", "src/App.tsx");
    assertThat(DemoApp.files(300, 7)).isEqualTo(files);
    assertThat(DemoApp.files(1000, 7)).hasSize(1000);
  }
}
