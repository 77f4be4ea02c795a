package dev.velocity.preview.operator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic source-like text (TypeScript-ish modules with imports, functions, literals and
 * comments built from a vocabulary of a few thousand identifiers), so benchmarks compress about as
 * well as real projects do (deflate level 1: roughly 4-5x).
 */
public final class SourceTextGenerator {
  private static final String[] SYLLABLES = {
    "get", "set", "user", "item", "list", "data", "load", "save", "form", "view", "node", "tree",
    "key", "map", "value", "state", "props", "render", "update", "create", "delete", "fetch",
    "query", "route", "page", "button", "input", "style", "theme", "color", "size", "index",
    "count", "total", "price", "order", "cart", "auth", "token", "session", "config", "event"
  };
  private static final String[] KEYWORDS = {
    "const", "let", "return", "if", "else", "await", "async", "export", "import", "function"
  };

  private final Random random;
  private final List<String> words = new ArrayList<>();

  /** A generator seeded with {@code seed}. */
  public SourceTextGenerator(long seed) {
    random = new Random(seed);
    for (int i = 0; i < 3000; i++) {
      StringBuilder w = new StringBuilder(SYLLABLES[random.nextInt(SYLLABLES.length)]);
      int parts = 1 + random.nextInt(3);
      for (int p = 0; p < parts; p++) {
        String s = SYLLABLES[random.nextInt(SYLLABLES.length)];
        w.append(Character.toUpperCase(s.charAt(0))).append(s, 1, s.length());
      }
      words.add(w.toString());
    }
  }

  /** One module of about {@code bytes} bytes. */
  public String module(int bytes) {
    StringBuilder b = new StringBuilder(bytes + 256);
    for (int i = 0; i < 3 && b.length() < bytes; i++) {
      b.append("import { ")
          .append(word())
          .append(", ")
          .append(word())
          .append(" } from './")
          .append(word())
          .append("';\n");
    }
    b.append('\n');
    while (b.length() < bytes) {
      if (random.nextInt(6) == 0) {
        b.append("// ")
            .append(word())
            .append(' ')
            .append(word())
            .append(" when ")
            .append(word())
            .append(" changes\n");
      }
      b.append("export ")
          .append(random.nextBoolean() ? "async " : "")
          .append("function ")
          .append(word())
          .append('(')
          .append(word())
          .append(", ")
          .append(word())
          .append(") {\n");
      int lines = 2 + random.nextInt(8);
      for (int l = 0; l < lines; l++) {
        b.append("  ")
            .append(KEYWORDS[random.nextInt(3)])
            .append(' ')
            .append(word())
            .append(" = ")
            .append(word())
            .append('.')
            .append(word())
            .append('(');
        switch (random.nextInt(3)) {
          case 0 -> b.append(random.nextInt(10_000));
          case 1 -> b.append('\'').append(word()).append('-').append(word()).append('\'');
          default -> b.append(word()).append(", ").append(random.nextInt(100));
        }
        b.append(");\n");
      }
      b.append("  return ").append(word()).append(";\n}\n\n");
    }
    return b.toString();
  }

  private String word() {
    // Zipf-like: a few identifiers are very common, most are rare
    int i = (int) Math.floor(Math.pow(random.nextDouble(), 3) * words.size());
    return words.get(i);
  }
}
