package dev.velocity.preview.e2e.stack;

import dev.velocity.preview.e2e.Args;
import dev.velocity.preview.e2e.Console;
import dev.velocity.preview.e2e.db.ProjectFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code apply FILE} and {@code edit PROJECT PATH FILE}: small clients of a stack started with
 * {@code up}, found through {@link StackInfo}. {@code apply} creates or updates the objects of a
 * YAML file in the mock API server; {@code edit} writes a file's content into a project through
 * {@code upsert_project_file}, acting as the project's owner.
 */
public final class HelperCommands {
  private static final Map<String, String> TYPES =
      Map.of(
          "ts",
          "typescript",
          "tsx",
          "typescript",
          "js",
          "javascript",
          "jsx",
          "javascript",
          "json",
          "json",
          "md",
          "markdown",
          "css",
          "css",
          "html",
          "html",
          "svg",
          "svg",
          "sql",
          "sql");

  private HelperCommands() {}

  public static int apply(Args args, Console console) throws Exception {
    StackInfo info = StackInfo.load(args.path("dir", null));
    args.requireAllRead();
    if (args.positional().size() != 1) {
      throw new IllegalArgumentException("usage: apply FILE");
    }
    Config config =
        Config.fromKubeconfig(
            null, Files.readString(info.kubeconfig()), info.kubeconfig().toString());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        InputStream in = Files.newInputStream(Path.of(args.positional().get(0)))) {
      List<HasMetadata> items = client.load(in).items();
      for (HasMetadata item : items) {
        if (item.getMetadata().getNamespace() == null) {
          item.getMetadata().setNamespace(info.namespace());
        }
        boolean exists = client.resource(item).get() != null;
        client.resource(item).createOr(NonDeletingOperation::update);
        console.print(
            item.getKind().toLowerCase(Locale.ROOT)
                + "/"
                + item.getMetadata().getName()
                + (exists ? " configured" : " created"));
      }
    }
    return 0;
  }

  public static int edit(Args args, Console console) throws Exception {
    StackInfo info = StackInfo.load(args.path("dir", null));
    args.requireAllRead();
    if (args.positional().size() != 3) {
      throw new IllegalArgumentException("usage: edit PROJECT PATH FILE");
    }
    UUID project = UUID.fromString(args.positional().get(0));
    String path = args.positional().get(1);
    String content = Files.readString(Path.of(args.positional().get(2)), StandardCharsets.UTF_8);
    PGSimpleDataSource admin = dataSource(info.jdbcUrl(), info.adminUser(), null);
    PGSimpleDataSource app = dataSource(info.jdbcUrl(), info.appUser(), info.appPassword());
    UUID owner = owner(admin, project);
    long t = System.nanoTime();
    long revision = new ProjectFiles(admin, app).upsert(owner, project, path, content, type(path));
    console.print(
        "upsert_project_file("
            + project
            + ", "
            + path
            + "): revision "
            + revision
            + " ("
            + Console.millis(Duration.ofNanos(System.nanoTime() - t))
            + ")");
    return 0;
  }

  private static UUID owner(PGSimpleDataSource admin, UUID project) throws Exception {
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select owner_id from public.projects where id = ?")) {
      ps.setObject(1, project);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("no project " + project);
        }
        return rs.getObject(1, UUID.class);
      }
    }
  }

  private static String type(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0
        ? "text"
        : TYPES.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), "text");
  }

  private static PGSimpleDataSource dataSource(String url, String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(user);
    if (password != null) {
      ds.setPassword(password);
    }
    return ds;
  }
}
