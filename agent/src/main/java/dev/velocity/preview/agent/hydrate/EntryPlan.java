package dev.velocity.preview.agent.hydrate;

import dev.velocity.preview.agent.fs.WorkspaceFs;
import dev.velocity.preview.agent.zip.CentralEntry;
import dev.velocity.preview.agent.zip.Refusal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, before anything is written, whether an archive's names are safe: path rules (no absolute
 * paths, {@code ..}, backslashes, control characters), the agent's reserved directory, duplicates,
 * names that collide after case folding and Unicode normalisation (as on a case-insensitive
 * volume), and a path that is a file in one entry and a directory in another.
 *
 * @param files the file entries in archive offset order (the order to read them in)
 * @param directories every directory to create, parents before children
 */
public record EntryPlan(List<CentralEntry> files, List<String> directories) {

  private static final Comparator<CentralEntry> BY_OFFSET =
      new Comparator<>() {
        @Override
        public int compare(CentralEntry a, CentralEntry b) {
          return Long.compare(a.localHeaderOffset(), b.localHeaderOffset());
        }
      };

  /**
   * Checks {@code entries} and returns the extraction plan.
   *
   * @throws dev.velocity.preview.agent.AgentException ({@code UNSAFE_ARCHIVE}) naming the entry
   */
  public static EntryPlan of(List<CentralEntry> entries) {
    Map<String, CentralEntry> byPath = new HashMap<>(entries.size() * 2);
    Map<String, String> folded = new HashMap<>(entries.size() * 2);
    Map<String, String> foldedDirs = new HashMap<>();
    Set<String> dirs = new TreeSet<>();
    List<CentralEntry> files = new ArrayList<>(entries.size());
    for (CentralEntry e : entries) {
      String path = e.path();
      Optional<String> unsafe = WorkspaceFs.projectPathViolation(path);
      if (unsafe.isPresent()) {
        throw Refusal.unsafe(e.name(), "has an unsafe path: " + unsafe.get());
      }
      CentralEntry previous = byPath.putIfAbsent(path, e);
      if (previous != null) {
        if (previous.directory() != e.directory()) {
          throw Refusal.unsafe(e.name(), "is a file in one entry and a directory in another");
        }
        throw Refusal.unsafe(e.name(), "is a duplicate (the archive holds it twice)");
      }
      String key = fold(path);
      String clash = folded.putIfAbsent(key, path);
      if (clash != null) {
        throw Refusal.unsafe(
            e.name(),
            "collides with " + Refusal.quote(clash) + " on a case-insensitive filesystem");
      }
      if (e.directory()) {
        addDir(path, dirs, foldedDirs, e);
      } else {
        files.add(e);
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
          addDir(path.substring(0, slash), dirs, foldedDirs, e);
        }
      }
    }
    for (CentralEntry f : files) {
      String dir = foldedDirs.get(fold(f.path()));
      if (dir != null) {
        throw Refusal.unsafe(f.name(), "is a file in one entry and a directory in another");
      }
    }
    files.sort(BY_OFFSET);
    return new EntryPlan(files, new ArrayList<>(dirs));
  }

  /** Adds {@code dir} and its ancestors, refusing directories that differ only in case. */
  private static void addDir(
      String dir, Set<String> dirs, Map<String, String> foldedDirs, CentralEntry e) {
    while (!dir.isEmpty() && dirs.add(dir)) {
      String clash = foldedDirs.putIfAbsent(fold(dir), dir);
      if (clash != null && !clash.equals(dir)) {
        throw Refusal.unsafe(
            e.name(),
            "directory "
                + Refusal.quote(dir)
                + " collides with "
                + Refusal.quote(clash)
                + " on a case-insensitive filesystem");
      }
      int slash = dir.lastIndexOf('/');
      dir = slash < 0 ? "" : dir.substring(0, slash);
    }
  }

  /** Case folding as a case-insensitive, normalisation-insensitive volume would compare names. */
  static String fold(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) >= 0x80) {
        return Normalizer.normalize(path, Normalizer.Form.NFC)
            .toUpperCase(Locale.ROOT)
            .toLowerCase(Locale.ROOT);
      }
    }
    return path.toLowerCase(Locale.ROOT);
  }
}
