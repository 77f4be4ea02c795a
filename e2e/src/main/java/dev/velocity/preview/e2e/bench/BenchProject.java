package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.db.FileChangeRequest;
import dev.velocity.preview.e2e.demo.DemoApp;
import java.util.ArrayList;
import java.util.List;

/** A benchmark project: the demo app's structure with every file padded to about {@code bytes}. */
final class BenchProject {
  private BenchProject() {}

  static List<FileChangeRequest> files(int count, int bytes, long seed) {
    List<FileChangeRequest> out = new ArrayList<>(count);
    for (FileChangeRequest f : DemoApp.files(count, seed)) {
      out.add(FileChangeRequest.upsert(f.path(), f.fileType(), pad(f.path(), f.content(), bytes)));
    }
    return out;
  }

  /** {@code content} plus comment lines up to about {@code bytes} (never shortened). */
  static String pad(String path, String content, int bytes) {
    if (content.length() >= bytes || path.endsWith(".json")) {
      return content;
    }
    String open =
        path.endsWith(".html") || path.endsWith(".svg") || path.endsWith(".md") ? "<!-- " : "/* ";
    String close = open.equals("<!-- ") ? " -->\n" : " */\n";
    StringBuilder sb = new StringBuilder(bytes + 80).append(content);
    int line = 0;
    while (sb.length() < bytes) {
      sb.append(open)
          .append("padding line ")
          .append(line++)
          .append(" of ")
          .append(path)
          .append(close);
    }
    return sb.toString();
  }
}
