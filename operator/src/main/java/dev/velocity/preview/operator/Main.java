package dev.velocity.preview.operator;

import dev.velocity.preview.operator.config.DatabaseConfig;
import dev.velocity.preview.operator.config.EnvVars;
import dev.velocity.preview.operator.config.OperatorConfig;
import dev.velocity.preview.operator.config.Role;
import dev.velocity.preview.sql.Migrations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code java -jar preview-operator.jar [--role=all|operator|gateway]} runs the operator and/or the
 * realtime gateway until SIGTERM; {@code java -jar preview-operator.jar migrate} applies the
 * database migrations and exits. Exit status: 0 done, 1 failed, 2 bad configuration or usage (one
 * line on stderr naming the problem).
 */
public final class Main {

  static final String USAGE = "usage: preview-operator [--role=all|operator|gateway] | migrate";

  private Main() {}

  public static void main(String[] args) {
    int code =
        run(
            args,
            System.getenv(),
            System.out,
            System.err,
            () -> new KubernetesClientBuilder().build());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(
      String[] args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Supplier<KubernetesClient> clients) {
    Role role = Role.ALL;
    boolean migrate = false;
    try {
      for (String arg : args) {
        if (arg.equals("migrate")) {
          migrate = true;
        } else if (arg.startsWith("--role=")) {
          role = Role.parse(arg.substring("--role=".length()));
        } else {
          err.println("preview-operator: unknown argument '" + arg + "'; " + USAGE);
          return 2;
        }
      }
      if (migrate) {
        return migrate(DatabaseConfig.fromEnv(new EnvVars(env)), out, err);
      }
      return serve(OperatorConfig.fromEnv(env, role), role, clients, err);
    } catch (IllegalArgumentException e) {
      err.println("preview-operator: " + e.getMessage());
      return 2;
    }
  }

  private static int migrate(DatabaseConfig database, PrintStream out, PrintStream err) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.url());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    try {
      int applied = Migrations.migrate(dataSource);
      out.println("preview-operator: database is up to date (" + applied + " migrations applied)");
      return 0;
    } catch (RuntimeException e) {
      err.println("preview-operator: migration failed: " + e.getMessage());
      return 1;
    }
  }

  private static int serve(
      OperatorConfig config, Role role, Supplier<KubernetesClient> clients, PrintStream err) {
    KubernetesClient client = clients.get();
    OperatorApp app;
    try {
      app = OperatorApp.start(config, role, client, OperatorApp.Options.standalone());
    } catch (IllegalArgumentException e) {
      client.close();
      throw e;
    } catch (RuntimeException e) {
      client.close();
      err.println("preview-operator: could not start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
