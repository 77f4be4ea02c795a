package dev.velocity.preview.e2e.db;

/** One row of {@code list_current_files}. */
public record CurrentFile(
    String path, String fileType, String content, String contentHash, int version) {}
