package io.mattepipe.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite file behind every state change. Only this process writes it (the seed's many
 * containers writing one file over a volume is the classic way to get {@code database is locked}):
 * WAL so readers never block the writer, a busy timeout instead of immediate failures when two
 * workers write at once, immediate transactions so a read-then-write cannot deadlock on upgrade,
 * and {@code synchronous=NORMAL}, which in WAL mode loses no committed state on a process crash.
 */
public final class Database {

    /**
     * Columns added since the first schema ({table, column, definition}): {@code CREATE TABLE IF NOT
     * EXISTS} leaves the tables of an older {@code tasks.db} without them.
     */
    private static final String[][] ADDED_COLUMNS = {{"tasks", "retryable", "INTEGER NOT NULL DEFAULT 1"}};

    private Database() {
    }

    /** Opens (creating when needed) {@code file} and applies {@code sql/schema.sql}. */
    public static HikariDataSource open(Path file, int poolSize) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(30_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setDataSourceProperties(sqlite.toProperties());
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("tasks-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        applySchema(dataSource);
        return dataSource;
    }

    private static void applySchema(HikariDataSource dataSource) {
        try (InputStream in = Database.class.getResourceAsStream("/sql/schema.sql");
             Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("--[^\n]*", "");
            for (String ddl : schema.split(";")) {
                if (!ddl.isBlank()) {
                    statement.execute(ddl);
                }
            }
            for (String[] column : ADDED_COLUMNS) {
                try (ResultSet found = connection.getMetaData().getColumns(null, null, column[0], column[1])) {
                    if (!found.next()) {
                        statement.execute("ALTER TABLE " + column[0] + " ADD COLUMN " + column[1] + " " + column[2]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply sql/schema.sql: " + e.getMessage(), e);
        }
    }
}
