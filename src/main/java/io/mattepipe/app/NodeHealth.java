package io.mattepipe.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: UP while this node reaches its database and, in cluster mode, its broker;
 * DOWN with what it cannot reach and why. In cluster mode it also shows each stage's queue as the
 * broker sees it (depth and consumers on every node), and says {@code degraded}, with the reason,
 * while a stage has no consumer: its jobs wait for a node that is not there.
 */
public final class NodeHealth {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

    private final DataSource database;
    private final Broker broker;
    private final String role;
    private final Map<String, String> queues;

    /**
     * @param broker null on a single node
     * @param queues the broker's queue of each stage (split, matting, compare); empty on a single node
     */
    public NodeHealth(DataSource database, Broker broker, String role, Map<String, String> queues) {
        this.database = database;
        this.broker = broker;
        this.role = role;
        this.queues = queues;
    }

    /**
     * {@code {"status": "UP"|"degraded"|"DOWN", "role": ..., "database": "UP"|"DOWN", "broker": ...,
     * "queues": {"matting": {"queue": ..., "depth": 12, "consumers": 4}, ...}, "reason": ...}}.
     */
    public Map<String, Object> check() {
        List<String> reasons = new ArrayList<>();
        String databaseDown = databaseDown();
        if (databaseDown != null) {
            reasons.add("database unreachable: " + databaseDown);
        }
        String brokerDown = broker == null ? null : broker.unreachable();
        boolean brokerUp = brokerDown == null;
        if (!brokerUp) {
            reasons.add("broker unreachable: " + brokerDown);
        }
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", reasons.isEmpty() ? "UP" : "DOWN");
        health.put("role", role);
        health.put("database", databaseDown == null ? "UP" : "DOWN");
        if (broker != null) {
            health.put("broker", brokerUp ? "UP" : "DOWN");
        }
        if (brokerUp && !queues.isEmpty()) {
            List<String> idle = new ArrayList<>();
            Map<String, Object> figures = new LinkedHashMap<>();
            queues.forEach((stage, queue) -> {
                Broker.QueueFigures queueFigures = broker.queue(queue);
                figures.put(stage, Map.of("queue", queue, "depth", queueFigures.depth(), "consumers", queueFigures.consumers()));
                if (queueFigures.consumers() == 0) {
                    idle.add("no " + ("split".equals(stage) ? "gateway" : "worker") + " consumes " + queue + " (" + stage + ")");
                }
            });
            health.put("queues", figures);
            if (reasons.isEmpty() && !idle.isEmpty()) {
                health.put("status", "degraded");
            }
            reasons.addAll(idle);
        }
        if (!reasons.isEmpty()) {
            health.put("reason", String.join("; ", reasons));
        }
        return health;
    }

    /** 503 only when this node cannot work: a degraded cluster still takes uploads and queues them. */
    public int httpStatus(Map<String, Object> health) {
        return "DOWN".equals(health.get("status")) ? 503 : 200;
    }

    /** Why the database cannot be reached, or null while it can. */
    private String databaseDown() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(2) ? null : "the connection did not answer within 2 s";
        } catch (SQLException e) {
            LOG.warn("database unreachable: {}", e.getMessage());
            return ErrorText.of(e);
        }
    }
}
