package io.mattepipe.state;

import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.commons.dbcp2.ConnectionFactory;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The database behind every state change: SQLite in the data folder on one node, PostgreSQL in a
 * cluster, chosen by the JDBC URL. One schema, migrated by Flyway from {@code db/migration/{dialect}};
 * the statements under {@code sql/} run unchanged on both.
 *
 * <p>The pool keeps each connection's prepared statements (commons-dbcp2
 * {@code poolPreparedStatements}): camel-sql prepares its statement for every message, and
 * sqlite-jdbc has no statement cache, so without the pool every state change would parse its SQL
 * again. (The PostgreSQL driver caches server-side plans per connection as well.)
 *
 * <p>SQLite: only one process writes the file (the seed's many containers writing one file over a
 * volume is the classic way to get {@code database is locked}): WAL so readers never block the
 * writer, a busy timeout instead of immediate failures when two workers write at once, immediate
 * transactions so a read-then-write cannot deadlock on upgrade, and {@code synchronous=NORMAL},
 * which in WAL mode loses no committed state on a process crash.
 */
public final class Database {

    /** How long a statement waits for SQLite's write lock before it fails with "database is locked". */
    private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(30);

    /** WAL pages written between two checkpoints (SQLite's default is 1,000). */
    private static final int SQLITE_CHECKPOINT_PAGES = 10_000;

    /** Which SQL the URL speaks, and so which migration folder applies. */
    public enum Dialect {
        SQLITE, POSTGRESQL;

        public static Dialect of(String url) {
            if (url.startsWith("jdbc:sqlite:")) {
                return SQLITE;
            } else if (url.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            throw new IllegalArgumentException("DB_URL must be jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB, got '" + url + "'");
        }

        public String folder() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code db.url}, or SQLite at {@code sqliteFile} (in the data folder) when the setting is blank. */
    public static String url(String setting, Path sqliteFile) {
        return setting.isBlank() ? "jdbc:sqlite:" + sqliteFile.toAbsolutePath() : setting;
    }

    /** The URL for messages: without its parameters, which may carry credentials. */
    public static String describe(String url) {
        return url.replaceFirst("\\?.*", "");
    }

    private Database() {
    }

    /**
     * A pool of {@code poolSize} connections to {@code url}, its schema migrated to the latest version.
     *
     * @param url {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST[:PORT]/DB}
     */
    public static BasicDataSource open(String url, String user, String password, int poolSize) {
        Dialect dialect = Dialect.of(url);
        BasicDataSource pool = dialect == Dialect.SQLITE ? new BasicDataSource() {
            @Override
            protected ConnectionFactory createConnectionFactory() throws SQLException {
                ConnectionFactory connections = super.createConnectionFactory();
                return () -> LockWait.install(connections.createConnection(), SQLITE_BUSY_TIMEOUT);
            }
        } : new BasicDataSource();
        pool.setPoolPreparedStatements(true);
        pool.setMaxOpenPreparedStatements(100);
        if (dialect == Dialect.SQLITE) {
            createFolder(url);
            pool.setDriverClassName("org.sqlite.JDBC");
            pool.setUrl(url);
            sqliteSettings().forEach((key, value) -> pool.addConnectionProperty(key.toString(), value.toString()));
            // a file in this process cannot drop the connection: the check before every statement
            // (isValid, a query of its own) was 1 % of the pipeline's CPU for nothing
            pool.setTestOnBorrow(false);
            // WAL pages are copied back into the file (read, written, fsynced) every 1,000 pages by
            // default: with each task's few rows written six times over, most copies are of the same
            // pages. 10,000 (a 40 MB WAL) copies each page once for ten times as many commits
            pool.setConnectionInitSqls(List.of("PRAGMA wal_autocheckpoint = " + SQLITE_CHECKPOINT_PAGES));
        } else {
            pool.setDriverClassName("org.postgresql.Driver");
            // strings bound to INTEGER columns (camel-sql binds what the message holds) are refused otherwise
            pool.setUrl(url.contains("stringtype=") ? url : url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified");
            pool.setUsername(blankToNull(user));
            pool.setPassword(blankToNull(password));
        }
        // Flyway holds one connection for its lock on PostgreSQL while it migrates on another
        pool.setMaxTotal(Math.max(2, poolSize));
        pool.setMaxIdle(Math.max(2, poolSize));
        migrate(pool, dialect);
        return pool;
    }

    /** Applies the migrations of {@code db/migration/{dialect}} that the database has not seen yet. */
    static void migrate(BasicDataSource pool, Dialect dialect) {
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration/" + dialect.folder())
                    // a data folder from before the migrations holds V1 (the old schema.sql) already
                    .baselineOnMigrate(true)
                    .baselineVersion("1")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            close(pool);
            throw new IllegalStateException("cannot migrate the database " + pool.getUrl() + ": " + e.getMessage(), e);
        }
    }

    private static Properties sqliteSettings() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // for the pragmas run while a connection opens; LockWait takes over once it is open
        sqlite.setBusyTimeout((int) SQLITE_BUSY_TIMEOUT.toMillis());
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // no statement here reads generated keys; left on, the driver matches every statement's text
        // against a pattern and runs SELECT last_insert_rowid() after every INSERT
        sqlite.setGetGeneratedKeys(false);
        return sqlite.toProperties();
    }

    private static void createFolder(String url) {
        Path file = Path.of(url.substring("jdbc:sqlite:".length())).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public static void close(BasicDataSource pool) {
        try {
            pool.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the connection pool of " + pool.getUrl() + ": " + e.getMessage(), e);
        }
    }
}
