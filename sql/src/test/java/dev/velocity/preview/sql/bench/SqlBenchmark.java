package dev.velocity.preview.sql.bench;

import dev.velocity.preview.sql.Migrations;
import dev.velocity.preview.testkit.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Measures the database contract's numbers on a real embedded PostgreSQL 17: single-file upserts (1
 * and 8 client threads, one project and user per thread), a bulk upsert of 1,000 files,
 * list_current_files over 10,000 files / 100 MB, and project_changes_since over 1,000 events.
 *
 * <p>Arguments: {@code --fast} runs PostgreSQL with fsync and synchronous_commit off (as the tests
 * do); {@code --durable} with fsync and synchronous_commit on (PostgreSQL's own defaults); the
 * default is zonky's: fsync on, synchronous_commit off. {@code --upserts} stops after the upsert
 * cases, {@code --only8} skips the 1-thread case, {@code --threads=N} changes the thread count of
 * the second case, {@code --diag} prints sampled wait events, WAL counters and pg_stat_statements
 * for it, {@code --sql=FILE} runs a SQL file after the migrations (to try a variant of a function),
 * {@code --profile} prints per-function times after the 1-thread case, {@code --hold} keeps the
 * migrated server up for psql; {@code -Dbench.pids=true} prints the backend pid of each writer
 * connection (for {@code perf report --pid}).
 *
 * <p>The 8-thread case runs three times: on 8 connections, then the same 8 threads through a pool
 * of 4 and of 2 connections (the projects of a shared connection belong to its user).
 */
public final class SqlBenchmark {
  private static final int WARM_UP = 100;

  private final DataSource admin;
  private final EmbeddedPostgresServer server;
  private final String database;
  private final Random random = new Random(42);
  private CpuMeter cpu;

  private SqlBenchmark(EmbeddedPostgresServer server, String database) {
    this.server = server;
    this.database = database;
    this.admin = server.superuserDataSource(database);
  }

  public static void main(String[] args) throws Exception {
    boolean fast = Arrays.asList(args).contains("--fast");
    List<String> argList = Arrays.asList(args);
    boolean profile = argList.contains("--profile");
    boolean upsertsOnly = argList.contains("--upserts");
    boolean diag = argList.contains("--diag");
    String extraSql =
        argList.stream()
            .filter(a -> a.startsWith("--sql="))
            .map(a -> a.substring(6))
            .findFirst()
            .orElse(null);
    int threads8 =
        argList.stream()
            .filter(a -> a.startsWith("--threads="))
            .map(a -> Integer.parseInt(a.substring(10)))
            .findFirst()
            .orElse(8);
    Map<String, String> config =
        fast
            ? Map.of(
                "fsync",
                "off",
                "synchronous_commit",
                "off",
                "max_connections",
                "100",
                "shared_buffers",
                "512MB")
            : Map.of("max_connections", "100", "shared_buffers", "512MB");
    // zonky's builder sets synchronous_commit=off unless told otherwise
    boolean durable = argList.contains("--durable");
    if (durable) {
      config = new java.util.HashMap<>(config);
      config.put("synchronous_commit", "on");
    }
    if (profile) {
      config = new java.util.HashMap<>(config);
      config.put("track_functions", "all");
    }
    if (diag) {
      config = new java.util.HashMap<>(config);
      config.put("shared_preload_libraries", "pg_stat_statements");
      config.put("pg_stat_statements.track", "all");
      config.put("track_functions", "all");
      config.put("track_wal_io_timing", "on");
    }
    try (EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(new EmbeddedPostgresServer.Options(0, null, config))) {
      exec(server.superuserDataSource("postgres"), "create database bench");
      SqlBenchmark bench = new SqlBenchmark(server, "bench");
      Migrations.migrate(bench.admin);
      if (extraSql != null) {
        exec(bench.admin, java.nio.file.Files.readString(java.nio.file.Path.of(extraSql)));
      }
      if (diag) {
        exec(bench.admin, "create extension pg_stat_statements");
      }
      if (argList.contains("--hold")) {
        System.out.println("holding: port " + server.port());
        Thread.sleep(Long.MAX_VALUE);
      }
      bench.cpu = CpuMeter.forServerOf(bench.admin);
      System.out.printf("load average before: %s%n", loadAverage());
      // the limit stays on (its cost is measured) but far above what the benchmark does
      exec(bench.admin, "update preview_private.settings set rate_limit_writes = 100000000");
      System.out.printf(
          "PostgreSQL 17 (zonky), %s, %d cores, Java %s%n",
          fast
              ? "fsync=off synchronous_commit=off"
              : durable
                  ? "durable: fsync=on, synchronous_commit=on"
                  : "fsync=on, synchronous_commit=off (zonky's default)",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      if (!argList.contains("--only8")) {
        bench.upserts(1, 3000);
      }
      if (profile) {
        bench.printFunctionTimes();
        return;
      }
      if (diag) {
        exec(bench.admin, "select pg_stat_statements_reset()");
        Diag.start(bench.admin);
      }
      bench.upserts(threads8, 8000 / threads8);
      if (diag) {
        Diag.stop(bench.admin, 8000);
      }
      // the same 8 threads through a pool of 4 and of 2 connections
      if (threads8 > 4) {
        bench.upserts(threads8, 8000 / threads8, 4);
        bench.upserts(threads8, 8000 / threads8, 2);
      }
      if (upsertsOnly) {
        return;
      }
      bench.bulk();
      bench.listLarge();
      bench.changesSince();
      System.out.printf("load average after: %s%n", loadAverage());
    }
  }

  private UUID user() throws SQLException {
    UUID id = UUID.randomUUID();
    exec(admin, "insert into user_profiles(id) values ('" + id + "')");
    return id;
  }

  private UUID project(UUID owner) throws SQLException {
    UUID id = UUID.randomUUID();
    exec(
        admin,
        "insert into projects(id, owner_id, name) values ('" + id + "', '" + owner + "', 'bench')");
    return id;
  }

  /**
   * A connection acting as {@code user} for its whole session, as a pooled API connection would.
   */
  private Connection as(UUID user) throws SQLException {
    Connection c = admin.getConnection();
    try (Statement st = c.createStatement()) {
      st.execute("set role authenticated");
      st.execute(
          "set request.jwt.claims = '{\"role\":\"authenticated\",\"sub\":\"" + user + "\"}'");
    }
    return c;
  }

  private String source(int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 64);
    String[] words = {
      "const",
      "let",
      "return",
      "function",
      "import",
      "export",
      "from",
      "if",
      "else",
      "=>",
      "{",
      "}",
      "(",
      ")",
      ";",
      "props",
      "state",
      "useEffect",
      "value",
      "items",
      "map"
    };
    while (sb.length() < bytes) {
      sb.append(words[random.nextInt(words.length)]).append(' ');
      if (random.nextInt(6) == 0) {
        sb.append("id").append(Integer.toHexString(random.nextInt())).append(' ');
      }
      if (random.nextInt(10) == 0) {
        sb.append('\n');
      }
    }
    sb.setLength(bytes);
    return sb.toString();
  }

  void upserts(int threads, int perThread) throws Exception {
    upserts(threads, perThread, threads);
  }

  /**
   * {@code threads} client threads, each writing its own project; with {@code connections <
   * threads} they share that many connections (thread t uses connection t % connections, one call
   * at a time, as threads share a pool), and the projects of a connection belong to its user.
   */
  void upserts(int threads, int perThread, int pooled) throws Exception {
    int connections = Math.min(pooled, threads);
    List<UUID[]> targets = new ArrayList<>();
    List<UUID> users = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      UUID u = t < connections ? user() : users.get(t % connections);
      users.add(u);
      targets.add(new UUID[] {u, project(u)});
    }
    Connection[] shared = new Connection[connections];
    PreparedStatement[] statements = new PreparedStatement[connections];
    if (connections < threads) {
      for (int k = 0; k < connections; k++) {
        shared[k] = as(users.get(k));
        statements[k] =
            shared[k].prepareStatement(
                "select version from upsert_project_file(?, ?, ?, 'typescript')");
      }
    }
    String body = source(2000);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      // Every connection first makes WARM_UP calls (its backend compiles the functions and
      // caches their plans, the JVM compiles the client path), as a pooled connection would
      // have; the clock and the CPU meters start when all of them are warm.
      long[] start = new long[1];
      CpuMeter.Sample[] before = new CpuMeter.Sample[1];
      CyclicBarrier warm =
          new CyclicBarrier(
              threads,
              () -> {
                try {
                  before[0] = cpu.sample();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                start[0] = System.nanoTime();
              });
      List<Future<Long>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        UUID[] target = targets.get(t);
        PreparedStatement sharedStatement = statements[t % connections];
        if (sharedStatement != null) {
          runs.add(pool.submit(() -> writeLoop(sharedStatement, target[1], body, perThread, warm)));
          continue;
        }
        runs.add(
            pool.submit(
                () -> {
                  try (Connection c = as(target[0]);
                      PreparedStatement ps =
                          c.prepareStatement(
                              "select version from upsert_project_file(?, ?, ?, 'typescript')")) {
                    if (Boolean.getBoolean("bench.pids")) {
                      try (Statement st = c.createStatement();
                          ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                        rs.next();
                        System.out.println("backend pid " + rs.getInt(1));
                      }
                    }
                    return writeLoop(ps, target[1], body, perThread, warm);
                  }
                }));
      }
      long end = 0;
      for (Future<Long> f : runs) {
        end = Math.max(end, f.get());
      }
      CpuMeter.Sample used = cpu.sample().minus(before[0]);
      double seconds = (end - start[0]) / 1e9;
      int total = threads * perThread;
      System.out.printf(
          "| single upsert, %d thread(s), %d projects, %d connections, 2 KB files | %d RPCs in %.2f s; %s | **%.0f RPCs/s** |%n",
          threads, threads, connections, total, seconds, used.perOperation(total), total / seconds);
    } finally {
      pool.shutdownNow();
      for (Connection c : shared) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  /**
   * WARM_UP unmeasured calls, then (once every thread is warm) perThread measured ones; a statement
   * (and its connection) serves one call at a time.
   */
  private static long writeLoop(
      PreparedStatement ps, UUID project, String body, int perThread, CyclicBarrier warm)
      throws Exception {
    for (int i = -WARM_UP; i < perThread; i++) {
      if (i == 0) {
        warm.await();
      }
      synchronized (ps) {
        ps.setObject(1, project);
        ps.setString(2, "src/file" + Math.floorMod(i, 50) + ".ts");
        ps.setString(3, body + i);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
      }
    }
    return System.nanoTime();
  }

  void bulk() throws Exception {
    UUID u = user();
    UUID p = project(u);
    try (Connection c = as(u);
        PreparedStatement ps =
            c.prepareStatement("select count(*) from bulk_upsert_project_files(?, ?::jsonb)")) {
      List<Double> creates = new ArrayList<>();
      List<Double> updates = new ArrayList<>();
      for (int round = 0; round < 6; round++) {
        String json = bulkJson(round < 3 ? "r" + round : "r" + (round - 3), 1000, 1000, round);
        long t0 = System.nanoTime();
        ps.setObject(1, p);
        ps.setString(2, json);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
        (round < 3 ? creates : updates).add((System.nanoTime() - t0) / 1e6);
      }
      System.out.printf(
          "| bulk upsert, 1,000 new files of 1 KB (one call) | median of 3 | **%.0f ms** |%n",
          median(creates));
      System.out.printf(
          "| bulk upsert, 1,000 changed files of 1 KB (one call) | median of 3 | **%.0f ms** |%n",
          median(updates));
    }
  }

  private String bulkJson(String prefix, int files, int bytes, int salt) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < files; i++) {
      if (i > 0) {
        json.append(',');
      }
      String content = source(bytes) + salt;
      json.append("{\"file_path\":\"src/")
          .append(prefix)
          .append("/f")
          .append(i)
          .append(".ts\",\"file_type\":\"typescript\",\"content\":\"")
          .append(content.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append("\"}");
    }
    return json.append(']').toString();
  }

  void listLarge() throws Exception {
    UUID u = user();
    UUID p = project(u);
    try (Connection c = as(u);
        PreparedStatement ps =
            c.prepareStatement("select count(*) from bulk_upsert_project_files(?, ?::jsonb)")) {
      for (int batch = 0; batch < 10; batch++) {
        ps.setObject(1, p);
        ps.setString(2, bulkJson("b" + batch, 1000, 10 * 1024, 0));
        ps.executeQuery().close();
      }
    }
    exec(admin, "vacuum analyze project_files");
    exec(server.superuserDataSource("postgres"), "select 1");
    List<Double> times = new ArrayList<>();
    long bytes = 0;
    int files = 0;
    CpuMeter.Sample before = cpu.sample();
    for (int run = 0; run < 5; run++) {
      try (Connection c = as(u);
          PreparedStatement ps = c.prepareStatement("select * from list_current_files(?)")) {
        // as a snapshot builder reads it: streamed in batches, content as raw UTF-8 bytes
        c.setAutoCommit(false);
        ps.setFetchSize(500);
        long t0 = System.nanoTime();
        ps.setObject(1, p);
        bytes = 0;
        files = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            bytes += rs.getBytes("content").length;
            files++;
          }
        }
        c.commit();
        times.add((System.nanoTime() - t0) / 1e6);
      }
    }
    System.out.printf(
        "| list_current_files, %,d files / %.0f MB, all rows streamed over JDBC (fetch size 500, content as bytes) | median of 5 (min %.0f, max %.0f); %s | **%.0f ms** |%n",
        files,
        bytes / 1e6,
        times.stream().mapToDouble(d -> d).min().orElse(0),
        times.stream().mapToDouble(d -> d).max().orElse(0),
        cpu.sample().minus(before).perOperation(5),
        median(times));
  }

  void changesSince() throws Exception {
    UUID u = user();
    UUID p = project(u);
    String body = source(1000);
    try (Connection c = as(u);
        PreparedStatement ps =
            c.prepareStatement("select version from upsert_project_file(?, ?, ?, 'typescript')")) {
      for (int i = 0; i < 1000; i++) {
        ps.setObject(1, p);
        ps.setString(2, "src/f" + (i % 100) + ".ts");
        ps.setString(3, body + i);
        ps.executeQuery().close();
      }
    }
    exec(admin, "vacuum analyze project_files, project_file_events");
    List<Double> times = new ArrayList<>();
    int rows = 0;
    // one pooled connection, as the gateway has; the first call (planning) is not counted
    try (Connection c = as(u);
        PreparedStatement ps =
            c.prepareStatement("select * from project_changes_since(?, 0, 1000)")) {
      for (int run = 0; run < 8; run++) {
        long t0 = System.nanoTime();
        ps.setObject(1, p);
        rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getString("content");
            rows++;
          }
        }
        if (run > 0) {
          times.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    System.out.printf(
        "| project_changes_since(0, 1000) over 1,000 events of 1 KB files, warm connection | %d rows, median of 7 | **%.1f ms** |%n",
        rows, median(times));
  }

  void printFunctionTimes() throws SQLException {
    try (Connection c = admin.getConnection();
        Statement st = c.createStatement()) {
      st.execute("select pg_sleep(0.6)"); // statistics are flushed at most every 0.5 s
      try (ResultSet rs =
          st.executeQuery(
              "select schemaname || '.' || funcname, calls, round(total_time::numeric / calls * 1000, 1),"
                  + " round(self_time::numeric / calls * 1000, 1) from pg_stat_user_functions"
                  + " order by self_time desc")) {
        System.out.println("| function | calls | total µs/call | self µs/call |");
        while (rs.next()) {
          System.out.printf(
              "| %s | %d | %s | %s |%n",
              rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4));
        }
      }
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
