package io.mattepipe.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: UP while this node reaches its database and, in cluster mode, its broker. */
public final class NodeHealth {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

    private final DataSource database;
    private final Broker broker;
    private final String role;

    /** @param broker null on a single node */
    public NodeHealth(DataSource database, Broker broker, String role) {
        this.database = database;
        this.broker = broker;
        this.role = role;
    }

    /** {@code {"status": "UP"|"DOWN", "role": ..., "database": "UP"|"DOWN", "broker": ...}}. */
    public Map<String, Object> check() {
        boolean databaseUp = databaseUp();
        boolean brokerUp = broker == null || broker.isReachable();
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", databaseUp && brokerUp ? "UP" : "DOWN");
        health.put("role", role);
        health.put("database", databaseUp ? "UP" : "DOWN");
        if (broker != null) {
            health.put("broker", brokerUp ? "UP" : "DOWN");
        }
        return health;
    }

    public int httpStatus(Map<String, Object> health) {
        return "UP".equals(health.get("status")) ? 200 : 503;
    }

    private boolean databaseUp() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            LOG.warn("database unreachable: {}", e.getMessage());
            return false;
        }
    }
}
