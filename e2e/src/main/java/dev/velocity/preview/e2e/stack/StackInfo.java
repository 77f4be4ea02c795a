package dev.velocity.preview.e2e.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * How to reach a running stack, written by {@code up} to {@code <dir>/stack.properties} (mode 0600:
 * it holds the application login's password) and found by the {@code apply} and {@code edit}
 * helpers through a pointer file in the temp directory.
 *
 * @param dir the stack's directory
 * @param jdbcUrl the database URL
 * @param appUser the application login (member of {@code authenticated})
 * @param appPassword its password
 * @param adminUser the database owner (no password: local trust)
 * @param kubeconfig the mock API server's kubeconfig
 * @param namespace the sessions' namespace
 * @param gatewayUrl the realtime gateway
 */
public record StackInfo(
    Path dir,
    String jdbcUrl,
    String appUser,
    String appPassword,
    String adminUser,
    Path kubeconfig,
    String namespace,
    String gatewayUrl) {

  private static final Path POINTER =
      Path.of(
          System.getProperty("java.io.tmpdir"),
          "preview-local-" + System.getProperty("user.name") + ".current");

  /** Writes {@code stack.properties} and points the helpers at it. */
  public void save() {
    Properties p = new Properties();
    p.setProperty("dir", dir.toString());
    p.setProperty("jdbcUrl", jdbcUrl);
    p.setProperty("appUser", appUser);
    p.setProperty("appPassword", appPassword);
    p.setProperty("adminUser", adminUser);
    p.setProperty("kubeconfig", kubeconfig.toString());
    p.setProperty("namespace", namespace);
    p.setProperty("gatewayUrl", gatewayUrl);
    Path file = dir.resolve("stack.properties");
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer w = Files.newBufferedWriter(file)) {
        p.store(w, "preview-local stack: how to reach it");
      }
      Files.writeString(POINTER, dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Removes the pointer (the stack is stopping). */
  public static void clearPointer() {
    try {
      Files.deleteIfExists(POINTER);
    } catch (IOException e) {
      // a stale pointer only makes a helper report that no stack answers
    }
  }

  /** The running stack: {@code dir} if given, else the one {@code up} last pointed at. */
  public static StackInfo load(Path dir) {
    try {
      Path stackDir = dir != null ? dir : Path.of(Files.readString(POINTER).strip());
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(stackDir.resolve("stack.properties"))) {
        p.load(r);
      }
      return new StackInfo(
          Path.of(p.getProperty("dir")),
          p.getProperty("jdbcUrl"),
          p.getProperty("appUser"),
          p.getProperty("appPassword"),
          p.getProperty("adminUser"),
          Path.of(p.getProperty("kubeconfig")),
          p.getProperty("namespace"),
          p.getProperty("gatewayUrl"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "no running local stack found (start one with 'up', or pass --dir DIR): "
              + e.getMessage());
    }
  }
}
