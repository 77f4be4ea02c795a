package dev.velocity.preview.agent.bench;

import dev.velocity.preview.agent.FileServer;
import dev.velocity.preview.protocol.ContentHash;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hydration as a whole process (JVM start included) against {@code unzip} and {@code git clone} of
 * the same tree from a local bare repository.
 *
 * <pre>
 * java -cp ... dev.velocity.preview.agent.bench.HydrateBench AGENT_JAR CDS_ARCHIVE WORKDIR \
 *     FILES BYTES RUNS
 * </pre>
 *
 * Prints one Markdown table row per tool: median and best wall time, median CPU (user+sys).
 */
public final class HydrateBench {
  private static final String PROJECT = "3f0e1c9a-1111-4222-8333-444455556666";

  private HydrateBench() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path cds = Path.of(args[1]).toAbsolutePath();
    Path work = Path.of(args[2]).toAbsolutePath();
    int files = Integer.parseInt(args[3]);
    long bytes = Long.parseLong(args[4]);
    int runs = Integer.parseInt(args[5]);
    deleteTree(work);
    Files.createDirectories(work);
    Path tree = work.resolve("tree");
    Path zip = work.resolve("snapshot.zip");
    generate(tree, zip, files, bytes);
    byte[] zipBytes = Files.readAllBytes(zip);
    String sha = ContentHash.sha256Hex(zipBytes);
    Path bare = work.resolve("bare.git");
    sh(tree, "git", "init", "-q", "-b", "main");
    sh(tree, "git", "add", "-A");
    sh(tree, "git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "tree");
    sh(work, "git", "clone", "-q", "--bare", tree.toString(), bare.toString());
    sh(bare, "git", "gc", "-q");

    System.out.printf(
        "%d files, %d bytes, zip %d bytes; %d runs each%n", files, bytes, zipBytes.length, runs);
    try (FileServer server = new FileServer()) {
      String url = server.put("/snapshot.zip", zipBytes);
      List<String> env =
          List.of(
              "SNAPSHOT_URL=" + url,
              "SNAPSHOT_SHA256=" + sha,
              "SNAPSHOT_REVISION=1",
              "PROJECT_ID=" + PROJECT,
              "WORKSPACE_DIR=" + work.resolve("ws"),
              "STATE_DIR=" + work.resolve("state"));
      List<String> java =
          List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      List<String> recommended = new ArrayList<>(java);
      recommended.addAll(AgentJvmFlags.RECOMMENDED);
      recommended.add("-XX:SharedArchiveFile=" + cds);
      // the CDS archive is built by a training run, as the image build does
      if (!Files.exists(cds)) {
        List<String> train = new ArrayList<>(java);
        train.addAll(AgentJvmFlags.RECOMMENDED);
        train.add("-XX:ArchiveClassesAtExit=" + cds);
        train.addAll(List.of("-jar", jar.toString(), "hydrate"));
        run(work, env, train);
      }
      Stats plain = measure(work, runs, env, concat(java, "-jar", jar.toString(), "hydrate"));
      Stats tuned =
          measure(work, runs, env, concat(recommended, "-jar", jar.toString(), "hydrate"));
      List<String> tiered = new ArrayList<>(recommended);
      tiered.remove("-XX:TieredStopAtLevel=1");
      Stats tieredStats =
          measure(work, runs, env, concat(tiered, "-jar", jar.toString(), "hydrate"));
      Stats unzip =
          measure(
              work,
              runs,
              env,
              List.of("unzip", "-q", zip.toString(), "-d", work.resolve("ws").toString()));
      Stats git =
          measure(
              work,
              runs,
              env,
              List.of(
                  "git",
                  "clone",
                  "-q",
                  "--no-local",
                  "file://" + bare,
                  work.resolve("ws").toString()));
      System.out.println(
          "| tool | median wall | best wall | median CPU (user+sys) | vs unzip | vs git clone |");
      System.out.println("| --- | --- | --- | --- | --- | --- |");
      row("agent hydrate, `java -jar` (no flags)", plain, unzip, git);
      row("agent hydrate, recommended flags + AppCDS", tuned, unzip, git);
      row("agent hydrate, same but full tiered JIT (C2 too)", tieredStats, unzip, git);
      row("`unzip -q` (local file, no download/verify)", unzip, unzip, git);
      row("`git clone --no-local` from a bare repo", git, unzip, git);
    }
  }

  record Stats(double medianWall, double bestWall, double medianCpu) {}

  static void row(String name, Stats s, Stats unzip, Stats git) {
    System.out.printf(
        "| %s | %.3f s | %.3f s | %.3f s | %.2fx | %.2fx |%n",
        name,
        s.medianWall,
        s.bestWall,
        s.medianCpu,
        s.medianWall / unzip.medianWall,
        s.medianWall / git.medianWall);
  }

  static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(Arrays.asList(tail));
    return all;
  }

  static Stats measure(Path work, int runs, List<String> env, List<String> cmd) throws Exception {
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      deleteTree(work.resolve("ws"));
      deleteTree(work.resolve("state"));
      Files.createDirectories(work.resolve("ws").getParent());
      double[] r = run(work, env, cmd);
      wall[i] = r[0];
      cpu[i] = r[1];
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new Stats(wall[runs / 2], wall[0], cpu[runs / 2]);
  }

  /** Runs {@code cmd} under /usr/bin/time; returns {wall seconds, user+sys seconds}. */
  static double[] run(Path work, List<String> env, List<String> cmd) throws Exception {
    Path timing = work.resolve("time.txt");
    List<String> full =
        new ArrayList<>(List.of("/usr/bin/time", "-o", timing.toString(), "-f", "%U %S"));
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).directory(work.toFile());
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(work.resolve("stderr.txt").toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    int code = p.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(
          cmd + " failed: " + Files.readString(work.resolve("stderr.txt")));
    }
    String[] t = Files.readString(timing).trim().split("\\s+");
    return new double[] {wall, Double.parseDouble(t[0]) + Double.parseDouble(t[1])};
  }

  static void sh(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed");
    }
  }

  /** A source-like tree (compresses about 5:1, like code) and its snapshot-style zip. */
  static void generate(Path tree, Path zip, int files, long bytes) throws IOException {
    Random r = new Random(42);
    int per = (int) (bytes / files);
    String[] words = {
      "import",
      "React",
      "from",
      "'react';",
      "export",
      "const",
      "function",
      "return",
      "<div",
      "className=",
      "props.",
      "useState(",
      "items.map(x",
      "=>",
      "x.id)",
      "await",
      "fetch(",
      "if",
      "else",
      "{",
      "}",
      "(",
      ")",
      ";",
      "\n",
      "  ",
      "value",
      "onClick",
      "type",
      "string"
    };
    List<String> names = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      names.add("src/m" + (i % 50) + "/c" + (i % 13) + "/file" + i + ".tsx");
    }
    names.sort(Comparator.naturalOrder());
    try (ZipOutputStream out =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip)))) {
      out.setLevel(1);
      StringBuilder sb = new StringBuilder(per + 64);
      for (String name : names) {
        sb.setLength(0);
        while (sb.length() < per) {
          sb.append(words[r.nextInt(words.length)]).append(' ');
          if (r.nextInt(8) == 0) {
            sb.append(Integer.toHexString(r.nextInt())).append(' ');
          }
        }
        byte[] data = sb.substring(0, per).getBytes(StandardCharsets.UTF_8);
        Path f = tree.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, data);
        ZipEntry e = new ZipEntry(name);
        e.setTime(0);
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
