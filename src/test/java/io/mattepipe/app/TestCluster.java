package io.mattepipe.app;

import io.mattepipe.state.TestPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the nodes of a test cluster share: an embedded Artemis broker (persistent, in a folder of the
 * test's) and a fresh database on the test PostgreSQL; and the settings that put a node on them.
 */
final class TestCluster implements AutoCloseable {

    final TestBroker broker;
    final String databaseUrl;

    private TestCluster(TestBroker broker, String databaseUrl) {
        this.broker = broker;
        this.databaseUrl = databaseUrl;
    }

    static TestCluster start(Path dir) throws Exception {
        String databaseUrl = TestPostgres.newDatabase();
        return new TestCluster(TestBroker.start(dir.resolve("broker")), databaseUrl);
    }

    /** The settings of a node of {@code role} on this broker and database (the profile is the caller's: a forked node takes it as an option). */
    Map<String, String> nodeSettings(String role) {
        Map<String, String> settings = new HashMap<>();
        settings.put("node.role", role);
        settings.put("db.url", databaseUrl);
        settings.put("db.user", TestPostgres.user());
        settings.put("broker.url", broker.url);
        return settings;
    }

    /** The first column of the first row of {@code query}, straight from the database. */
    String queryOne(String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, TestPostgres.user(), "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            assertTrue(row.next(), "no row: " + query);
            return row.getString(1);
        }
    }

    void update(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, TestPostgres.user(), "");
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** Messages left in the broker's dead-letter queues: its own DLQ and the application's. */
    long deadLetters() {
        return broker.depth("DLQ") + broker.depth("mattepipe.dead-letter");
    }

    @Override
    public void close() throws Exception {
        broker.close();
    }
}
