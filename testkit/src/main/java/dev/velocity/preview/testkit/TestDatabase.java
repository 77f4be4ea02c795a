package dev.velocity.preview.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A fresh, empty database on the JVM-wide {@link EmbeddedPostgresServer}, usually one per test
 * class. {@link #close()} drops it together with the login roles it created.
 *
 * <pre>{@code
 * static TestDatabase db = TestDatabase.create();
 * @AfterAll static void drop() { db.close(); }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {

  private static final Set<String> TEMPLATES = new HashSet<>();
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final EmbeddedPostgresServer server;
  private final String name;
  private final DataSource superuser;
  private final List<String> createdRoles = new ArrayList<>();

  private TestDatabase(EmbeddedPostgresServer server, String name) {
    this.server = server;
    this.name = name;
    this.superuser = server.superuserDataSource(name);
  }

  /** Creates a new empty database on the shared server. */
  public static TestDatabase create() {
    return create(EmbeddedPostgresServer.shared());
  }

  /** Creates a new empty database on {@code server}. */
  public static TestDatabase create(EmbeddedPostgresServer server) {
    String name = newName();
    execute(
        server.superuserDataSource("postgres"),
        "create database " + name + " template template0 encoding 'UTF8' locale 'C'");
    return new TestDatabase(server, name);
  }

  /**
   * Creates a new database as a copy of a template that {@code initializer} prepares once per JVM
   * (e.g. {@code TestDatabase.create("migrated", Migrations::migrate)}): copying is much faster
   * than preparing every database again.
   *
   * @param template a plain lower-case name for the prepared state
   * @param initializer prepares the template through a superuser DataSource; it must close the
   *     connections it opens
   */
  public static TestDatabase create(String template, Consumer<DataSource> initializer) {
    requireIdentifier(template);
    EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
    DataSource admin = server.superuserDataSource("postgres");
    String templateDb = "tpl_" + template;
    synchronized (TEMPLATES) {
      if (!TEMPLATES.contains(templateDb)) {
        execute(admin, "drop database if exists " + templateDb + " with (force)");
        execute(
            admin,
            "create database " + templateDb + " template template0 encoding 'UTF8' locale 'C'");
        initializer.accept(server.superuserDataSource(templateDb));
        TEMPLATES.add(templateDb);
      }
      // a copy needs the template to be free of sessions
      execute(
          admin,
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
              + templateDb
              + "'");
      String name = newName();
      execute(admin, "create database " + name + " template " + templateDb);
      return new TestDatabase(server, name);
    }
  }

  private static String newName() {
    return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** The server the database lives on. */
  public EmbeddedPostgresServer server() {
    return server;
  }

  /** A JDBC URL for this database (no credentials). */
  public String jdbcUrl() {
    return server.jdbcUrl(name);
  }

  /** Connects as the bootstrap superuser. */
  public DataSource superuserDataSource() {
    return superuser;
  }

  /** Connects as {@code user}. */
  public DataSource dataSource(String user, String password) {
    return server.dataSource(name, user, password);
  }

  /**
   * Creates (or resets) a LOGIN role that is a member of {@code memberOf}, and allows it to connect
   * to this database. Roles are cluster-wide: use names unique to the test class; {@link #close()}
   * drops them.
   *
   * @return the role name
   */
  public String createLoginRole(String roleName, String password, String... memberOf) {
    requireIdentifier(roleName);
    for (String group : memberOf) {
      requireIdentifier(group);
    }
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement()) {
      String quotedPassword = "'" + password.replace("'", "''") + "'";
      st.execute(
          "do $$ begin if not exists (select from pg_roles where rolname = '"
              + roleName
              + "') then create role "
              + roleName
              + "; end if; end $$");
      st.execute("alter role " + roleName + " login noinherit password " + quotedPassword);
      st.execute("alter role " + roleName + " inherit");
      st.execute("grant connect on database " + name + " to " + roleName);
      for (String group : memberOf) {
        st.execute("grant " + group + " to " + roleName);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create login role " + roleName, e);
    }
    synchronized (createdRoles) {
      if (!createdRoles.contains(roleName)) {
        createdRoles.add(roleName);
      }
    }
    return roleName;
  }

  /** Drops the database (closing its connections) and the login roles created through it. */
  @Override
  public void close() {
    DataSource admin = server.superuserDataSource("postgres");
    execute(admin, "drop database if exists " + name + " with (force)");
    synchronized (createdRoles) {
      for (String role : createdRoles) {
        // a role still owning objects elsewhere stays; dropping it is housekeeping only
        try (Connection c = admin.getConnection();
            Statement st = c.createStatement()) {
          st.execute("drop role if exists " + role);
        } catch (SQLException ignored) {
          // kept on purpose: see above
        }
      }
      createdRoles.clear();
    }
  }

  private static void requireIdentifier(String identifier) {
    if (identifier == null
        || !IDENTIFIER.matcher(identifier.toLowerCase(Locale.ROOT)).matches()
        || !identifier.equals(identifier.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("not a plain lower-case SQL identifier: " + identifier);
    }
  }

  private static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed: " + sql + ": " + e.getMessage(), e);
    }
  }
}
