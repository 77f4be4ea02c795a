package dev.velocity.preview.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.velocity.preview.protocol.ContentHash;
import dev.velocity.preview.testkit.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Migrations: re-runnable, psql-equivalent, on vanilla, Supabase-shaped and legacy databases. */
class MigrationsIT {

  static List<Path> migrationFiles() throws URISyntaxException, IOException {
    Path dir = Paths.get(System.getProperty("basedir", "."), "src/main/resources/db/migration");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
          .sorted(
              Comparator.comparingInt(
                  p ->
                      Integer.parseInt(
                          p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
          .toList();
    }
  }

  /**
   * What psql -f does for these files: each file sent as one script (they use no meta-commands).
   */
  static void applyLikePsql(DataSource ds) throws Exception {
    for (Path file : migrationFiles()) {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        st.execute(Files.readString(file));
        c.commit();
      }
    }
  }

  static void exec(DataSource ds, String... sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  @Test
  void migrateTwiceAppliesOnceAndKeepsData() throws Exception {
    try (TestDatabase tdb = TestDatabase.create()) {
      assertThat(Migrations.migrate(tdb.superuserDataSource())).isEqualTo(migrationFiles().size());
      assertThat(migrationFiles()).hasSizeGreaterThanOrEqualTo(7);
      Db db = wrap(tdb);
      UUID owner = db.newUser();
      UUID project = db.newProject(owner);
      db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "kept", "text", null));
      assertThat(Migrations.migrate(tdb.superuserDataSource())).isZero();
      assertThat(
              db.query(
                  "select to_regclass('public.flyway_schema_history') is null out_of_api,"
                      + " to_regclass('preview_private.flyway_schema_history') is not null kept"))
          .containsExactly(Map.of("out_of_api", true, "kept", true));
      // the raw files again, as psql would re-run them: harmless
      applyLikePsql(tdb.superuserDataSource());
      applyLikePsql(tdb.superuserDataSource());
      assertThat(db.state(project)).isEqualTo(new Db.State(1, 1, 1));
      assertThat(
              db.userRows(
                  owner, c -> Db.query(c, "select content from list_current_files(?)", project)))
          .containsExactly(Map.of("content", "kept"));
      db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "next", "text", 1));
      assertThat(db.state(project)).isEqualTo(new Db.State(2, 2, 2));
    }
  }

  @Test
  void filesAppliedLikePsqlThenFlywayBaselines() throws Exception {
    try (TestDatabase tdb = TestDatabase.create()) {
      applyLikePsql(tdb.superuserDataSource());
      Db db = wrap(tdb);
      UUID owner = db.newUser();
      UUID project = db.newProject(owner);
      db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "psql", "text", null));
      assertThat(Migrations.migrate(tdb.superuserDataSource())).isEqualTo(migrationFiles().size());
      assertThat(db.state(project)).isEqualTo(new Db.State(1, 1, 1));
    }
  }

  @Test
  void realPsqlAppliesTheFiles() throws Exception {
    Path psql =
        Stream.of("/usr/bin/psql", "/usr/local/bin/psql")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    Assumptions.assumeTrue(psql != null, "psql is not installed");
    try (TestDatabase tdb = TestDatabase.create()) {
      for (int round = 0; round < 2; round++) {
        for (Path file : migrationFiles()) {
          Process p =
              new ProcessBuilder(
                      psql.toString(),
                      "-X",
                      "-q",
                      "-v",
                      "ON_ERROR_STOP=1",
                      "-1",
                      "-h",
                      "localhost",
                      "-p",
                      String.valueOf(tdb.server().port()),
                      "-U",
                      "postgres",
                      "-d",
                      tdb.name(),
                      "-f",
                      file.toString())
                  .redirectErrorStream(true)
                  .start();
          String out;
          try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          assertThat(p.waitFor()).as("psql -f %s: %s", file.getFileName(), out).isZero();
        }
      }
      Db db = wrap(tdb);
      UUID owner = db.newUser();
      UUID project = db.newProject(owner);
      db.asUser(owner, c -> Db.upsert(c, project, "a.txt", "psql", "text", null));
      assertThat(db.state(project)).isEqualTo(new Db.State(1, 1, 1));
    }
  }

  @Test
  void appliesOnASupabaseShapedDatabase() throws Exception {
    String supabaseUid =
        "create or replace function auth.uid() returns uuid language sql stable as $$"
            + " select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),"
            + " (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $$";
    try (TestDatabase tdb = TestDatabase.create()) {
      DataSource su = tdb.superuserDataSource();
      UUID owner = UUID.randomUUID();
      UUID project = UUID.randomUUID();
      exec(
          su,
          "do $$ begin if not exists (select from pg_roles where rolname = 'anon') then create role anon nologin; end if;"
              + " if not exists (select from pg_roles where rolname = 'authenticated') then create role authenticated nologin; end if;"
              + " if not exists (select from pg_roles where rolname = 'service_role') then create role service_role nologin; end if; end $$",
          "create schema auth",
          "create table auth.users (id uuid primary key, email text)",
          supabaseUid,
          "comment on function auth.uid() is 'supabase original'",
          "grant usage on schema auth to anon, authenticated, service_role",
          // Supabase grants everything in public to its API roles by default
          "alter default privileges in schema public grant all on tables to anon, authenticated, service_role",
          "alter default privileges in schema public grant all on functions to anon, authenticated, service_role",
          "alter default privileges in schema public grant all on sequences to anon, authenticated, service_role",
          "create table public.user_profiles (id uuid primary key references auth.users(id), display_name text)",
          "create table public.projects (id uuid primary key default gen_random_uuid(),"
              + " owner_id uuid not null references public.user_profiles(id), title text not null,"
              + " description text, created_at timestamptz default now())",
          "insert into auth.users values ('" + owner + "', 'o@example.com')",
          "insert into public.user_profiles values ('" + owner + "', 'Owner')",
          "insert into public.projects (id, owner_id, title, description) values ('"
              + project
              + "', '"
              + owner
              + "', 'app', 'kept')");

      assertThat(Migrations.migrate(su)).isEqualTo(migrationFiles().size());

      Db db = wrap(tdb);
      assertThat(db.query("select obj_description('auth.uid()'::regprocedure) c"))
          .containsExactly(Map.of("c", "supabase original"));
      assertThat(db.query("select title, description, revision from projects"))
          .containsExactly(Map.of("title", "app", "description", "kept", "revision", 0L));
      db.asUser(owner, c -> Db.upsert(c, project, "index.html", "<h1>", "html", null));
      assertThat(db.state(project)).isEqualTo(new Db.State(1, 1, 1));
      // default privileges do not leak write access or anon execution
      Db.assertFails(
          "42501",
          "permission denied for table project_files",
          () -> db.asUser(owner, c -> Db.query(c, "delete from project_files returning id")));
      Db.assertFails(
          "42501",
          "permission denied for function upsert_project_file",
          () -> db.asAnon(c -> Db.upsert(c, project, "x", "x", "text", null)));
      Db.assertFails(
          "42501",
          "permission denied for function prune_project_history",
          () -> db.asUser(owner, c -> Db.query(c, "select * from prune_project_history()")));
      assertThat(Migrations.migrate(su)).isZero();
    }
  }

  @Test
  void convertsALegacyPathTypeTable() throws Exception {
    try (TestDatabase tdb = TestDatabase.create()) {
      DataSource su = tdb.superuserDataSource();
      UUID owner = UUID.randomUUID();
      UUID project = UUID.randomUUID();
      exec(
          su,
          "create table user_profiles (id uuid primary key)",
          "create table projects (id uuid primary key, owner_id uuid not null references user_profiles(id), name text)",
          "create table project_files (id uuid primary key default gen_random_uuid(),"
              + " project_id uuid not null references projects(id) on delete cascade,"
              + " path text not null, type text, content text,"
              + " created_at timestamptz default now(), updated_at timestamptz default now())",
          "insert into user_profiles values ('" + owner + "')",
          "insert into projects values ('" + project + "', '" + owner + "', 'legacy')",
          "insert into project_files (project_id, path, type, content, created_at) values"
              + " ('"
              + project
              + "', 'src/App.tsx', 'typescript', 'old', now() - interval '2 days'),"
              + " ('"
              + project
              + "', 'src/App.tsx', 'typescript', 'new', now() - interval '1 day'),"
              + " ('"
              + project
              + "', 'README', null, 'read me', now())");

      assertThat(Migrations.migrate(su)).isEqualTo(migrationFiles().size());

      Db db = wrap(tdb);
      assertThat(
              db.query(
                  "select file_path, file_type, content, version, is_current_version, created_by,"
                      + " content_hash, size_bytes, is_deleted from project_files order by file_path, version"))
          .extracting(
              r -> r.get("file_path"),
              r -> r.get("file_type"),
              r -> r.get("content"),
              r -> r.get("version"),
              r -> r.get("is_current_version"),
              r -> r.get("created_by"),
              r -> r.get("content_hash"),
              r -> r.get("size_bytes"),
              r -> r.get("is_deleted"))
          .containsExactly(
              tuple(
                  "README",
                  "text",
                  "read me",
                  1,
                  true,
                  owner,
                  ContentHash.sha256Hex("read me"),
                  7L,
                  false),
              tuple(
                  "src/App.tsx",
                  "typescript",
                  "old",
                  1,
                  false,
                  owner,
                  ContentHash.sha256Hex("old"),
                  3L,
                  false),
              tuple(
                  "src/App.tsx",
                  "typescript",
                  "new",
                  2,
                  true,
                  owner,
                  ContentHash.sha256Hex("new"),
                  3L,
                  false));
      assertThat(db.query("select path, type, content from legacy_project_files order by path"))
          .containsExactly(
              Map.of("path", "README", "type", "text", "content", "read me"),
              Map.of("path", "src/App.tsx", "type", "typescript", "content", "new"));
      assertThat(
              db.query(
                  "select count(*) n from information_schema.columns where table_name = 'project_files'"
                      + " and column_name in ('path', 'type')"))
          .containsExactly(Map.of("n", 0L));
      // the converted table works with the RPCs and continues the versions
      var row =
          db.asUser(owner, c -> Db.upsert(c, project, "src/App.tsx", "newer", "typescript", 2));
      assertThat(row).containsEntry("version", 3).containsEntry("revision", 1L);
      assertThat(Migrations.migrate(su)).isZero();
    }
  }

  @Test
  void everySecurityDefinerFunctionHasAFixedSearchPathAndNoPublicExecute() throws Exception {
    try (TestDatabase tdb = TestDatabase.create()) {
      Migrations.migrate(tdb.superuserDataSource());
      Db db = wrap(tdb);
      var definers =
          db.query(
              "select p.oid::regprocedure::text fn, p.proconfig::text cfg,"
                  + " coalesce(p.proacl::text, 'DEFAULT') acl"
                  + " from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                  + " where p.prosecdef and n.nspname in ('public', 'preview_private') order by 1");
      assertThat(definers)
          .extracting(r -> r.get("fn"))
          .contains(
              "upsert_project_file(uuid,text,text,text,integer)",
              "delete_project_file(uuid,text,integer)",
              "list_current_files(uuid)",
              "bulk_upsert_project_files(uuid,jsonb)",
              "project_changes_since(uuid,bigint,integer)",
              "register_binary_file(uuid,text,text,bigint,text,integer)",
              "prune_project_history(interval,uuid)");
      assertThat(definers)
          .allSatisfy(
              r -> {
                assertThat((String) r.get("cfg"))
                    .as("%s", r.get("fn"))
                    .isEqualTo("{\"search_path=pg_catalog, public, pg_temp\"}");
                // no grant to PUBLIC ("=X/owner") and not the default ACL (which includes PUBLIC)
                assertThat((String) r.get("acl"))
                    .as("%s", r.get("fn"))
                    .isNotEqualTo("DEFAULT")
                    .doesNotContain("\"=X", "{=X", ",=X");
              });
      // functions others can run, and trigger functions (which run as whoever fires them), pin
      // their search_path too; internal helpers only the owner can run inherit the RPC's
      assertThat(
              db.query(
                  "select p.oid::regprocedure::text fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                      + " where n.nspname in ('public', 'preview_private') and p.prokind = 'f'"
                      + " and (p.prorettype = 'trigger'::regtype or exists (select 1 from unnest(array['public', 'anon',"
                      + " 'authenticated', 'service_role', 'preview_operator']) r"
                      + " where has_function_privilege(case when r = 'public' then 'anon' else r end, p.oid, 'execute')))"
                      + " and (p.proconfig is null or not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%'))"))
          .isEmpty();
      // and those internal helpers are really closed to everyone else
      assertThat(
              db.query(
                  "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                      + " where n.nspname = 'preview_private' and p.proconfig is null"
                      + " and (has_function_privilege('authenticated', p.oid, 'execute')"
                      + " or has_function_privilege('preview_operator', p.oid, 'execute')"
                      + " or has_function_privilege('service_role', p.oid, 'execute'))"))
          .isEmpty();
    }
  }

  static Db wrap(TestDatabase tdb) {
    return Db.wrap(tdb);
  }
}
