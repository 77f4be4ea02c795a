package dev.velocity.preview.e2e.chaos;

import dev.velocity.preview.protocol.PathRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The paths a project's writer uses: plain, unicode (several scripts, an emoji, a space) and deep
 * (a dozen directories), each legal under {@link PathRules}; plus the one file overwritten in rapid
 * succession and the 5 MiB file.
 */
final class PathPool {
  /** The file rewritten many times back to back. */
  static final String HOT = "rapid/hot.txt";

  /** The 5 MiB file. */
  static final String BIG = "big/blob-5mib.txt";

  private final List<String> paths = new ArrayList<>();

  PathPool() {
    for (int i = 0; i < 10; i++) {
      add("src/components/Comp" + i + ".tsx");
    }
    for (int i = 0; i < 5; i++) {
      add("docs/ünïcødé/日本語-" + i + ".md");
    }
    for (int i = 0; i < 3; i++) {
      add("emoji/😀 smile " + i + ".txt");
      add("public/Ελληνικά/файл-" + i + ".json");
    }
    for (int i = 0; i < 5; i++) {
      add("a/b/c/d/e/f/g/h/i/j/k/l/deep-" + i + ".txt");
    }
    add(HOT);
  }

  private void add(String path) {
    paths.add(PathRules.require(path));
  }

  /** A path picked by {@code random}. */
  String pick(Random random) {
    return paths.get(random.nextInt(paths.size()));
  }

  /** Every path of the pool (the big file excluded). */
  List<String> all() {
    return List.copyOf(paths);
  }
}
