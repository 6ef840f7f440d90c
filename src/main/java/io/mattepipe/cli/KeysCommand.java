package io.mattepipe.cli;

import io.mattepipe.access.ApiKeys;
import io.mattepipe.access.AuditLog;
import io.mattepipe.app.DataLayout;
import io.mattepipe.app.Settings;
import io.mattepipe.state.Clock;
import io.mattepipe.state.Database;
import io.mattepipe.webhook.WebhookSecret;
import org.apache.commons.dbcp2.BasicDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code keys create NAME [--admin]}, {@code keys list}, {@code keys revoke NAME}: the service's
 * API keys, in the state database of {@code --data-dir} (or {@code DB_URL}), so that every node
 * of a cluster accepts them. A new key is printed once, as the last line; only its hash is kept.
 * {@code keys webhook-secret} prints the secret webhooks are signed with, for their receivers.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys (stored as hashes in the state database).",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class, KeysCommand.WebhookSecretCommand.class})
public final class KeysCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Default: setting data.dir (./data); DB_URL, when set, names the database instead.")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 64;
    }

    /** The keys of the state database, with the audit trail beside them. */
    private <T> T withKeys(KeysWork<T> work) throws SQLException {
        return withDatabase((pool, clock, settings) -> work.run(new ApiKeys(pool, clock), new AuditLog(pool, clock)));
    }

    /** The state database of {@code --data-dir} (or {@code DB_URL}); closes the pool after. */
    private <T> T withDatabase(DatabaseWork<T> work) throws SQLException {
        Settings settings = Settings.load();
        Path data = dataDir != null ? dataDir : Path.of(settings.get("data.dir"));
        String url = Database.url(settings.get("db.url"), new DataLayout(data).database());
        BasicDataSource pool = Database.open(url, settings.get("db.user"), settings.get("db.password"), 1);
        try {
            return work.run(pool, new Clock(Duration.ofMillis(settings.getLong("task.lease-ms"))), settings);
        } finally {
            Database.close(pool);
        }
    }

    @FunctionalInterface
    private interface KeysWork<T> {
        T run(ApiKeys keys, AuditLog audit) throws SQLException;
    }

    @FunctionalInterface
    private interface DatabaseWork<T> {
        T run(BasicDataSource pool, Clock clock, Settings settings) throws SQLException;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key for NAME (the owner its jobs are recorded under); prints the key as the last line.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--admin", description = "The key sees and manages every owner's jobs, /metrics and /audit.")
        boolean admin;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = keys.spec.commandLine().getOut();
            String key;
            try {
                key = keys.withKeys((store, audit) -> {
                    String created = store.create(name, admin);
                    audit.record("-", "key-created", null, name + (admin ? " (admin)" : ""), "command line");
                    return created;
                });
            } catch (IllegalArgumentException refused) {
                throw new UsageException(refused.getMessage());
            }
            out.println("created " + (admin ? "admin " : "") + "key '" + name + "'; it is shown only now:");
            out.println(key);
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never the keys themselves).")
    static final class List implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = keys.spec.commandLine().getOut();
            java.util.List<ApiKeys.Key> all = keys.withKeys((store, audit) -> store.list());
            out.printf("%-24s %-6s %-26s %s%n", "NAME", "ADMIN", "CREATED", "REVOKED");
            for (ApiKeys.Key key : all) {
                out.printf("%-24s %-6s %-26s %s%n", key.name(), key.admin() ? "yes" : "no", key.createdAt(),
                        key.revokedAt() == null ? "-" : key.revokedAt());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke the key NAME: it and the page sessions opened with it stop working within seconds.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws SQLException {
            boolean revoked = keys.withKeys((store, audit) -> {
                boolean done = store.revoke(name);
                if (done) {
                    audit.record("-", "key-revoked", null, name, "command line");
                }
                return done;
            });
            if (!revoked) {
                throw new UsageException("no active key named '" + name + "' (keys list shows them)");
            }
            keys.spec.commandLine().getOut().println("revoked key '" + name + "'");
            keys.spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "webhook-secret", mixinStandardHelpOptions = true,
            description = "Print the secret that signs webhooks (X-Mattepipe-Signature), for their receivers: callback.secret, "
                    + "or the one the service keeps in the database (made now if the service has not started yet).")
    static final class WebhookSecretCommand implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Override
        public Integer call() throws SQLException {
            String secret = keys.withDatabase((pool, clock, settings) -> WebhookSecret.resolve(pool, clock, settings.get("callback.secret")));
            keys.spec.commandLine().getOut().println(secret);
            keys.spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
