package dev.velocity.preview.operator.snapshot;

/**
 * One current file as {@code list_current_files} returns it.
 *
 * @param path the file path
 * @param content UTF-8 bytes of a text file, or {@code null} for a binary file (in {@code
 *     blobs/{contentHash}})
 * @param contentHash hex SHA-256 of the bytes
 * @param version the file's version
 */
record FileRow(String path, byte[] content, String contentHash, int version) {}
