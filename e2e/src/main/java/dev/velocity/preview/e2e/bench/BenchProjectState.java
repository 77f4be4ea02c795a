package dev.velocity.preview.e2e.bench;

import dev.velocity.preview.e2e.db.FileChangeRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A benchmark project: its owner, id, initial files and a cursor over them for edits. */
record BenchProjectState(
    int index, UUID owner, UUID project, List<FileChangeRequest> files, AtomicInteger cursor) {
  BenchProjectState(int index, UUID owner, UUID project, List<FileChangeRequest> files) {
    this(index, owner, project, files, new AtomicInteger());
  }

  /**
   * The next file to edit: files are taken in turn, so one file is edited again only after every
   * other one (an edit is never overtaken by the next edit of the same file while being timed).
   */
  FileChangeRequest nextFile() {
    return files.get(Math.floorMod(cursor.getAndIncrement(), files.size()));
  }
}
