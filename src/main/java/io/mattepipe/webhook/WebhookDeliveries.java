package io.mattepipe.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.state.Clock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The events a job's {@code callback_url} receives, kept in {@code webhook_deliveries} from the
 * moment they happen until a receiver answers 2xx or the attempts run out, so that a delivery
 * survives a restart (at least once: a receiver tells repeats apart by the event's {@code id}).
 * Any node sends what is due: it claims a row by moving its due time past the call's timeout with
 * a guarded UPDATE, so a node that dies mid-call leaves it to the next one once that time passes.
 */
public final class WebhookDeliveries {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param maxAttempts calls per event before it is given up
     * @param backoff     the wait after the first failed call, doubled after each next one
     * @param maxBackoff  the longest wait between two calls
     * @param claim       how long a sender holds an event it is calling: longer than the call's timeout
     * @param batch       events claimed at one poll
     */
    public record Policy(int maxAttempts, Duration backoff, Duration maxBackoff, Duration claim, int batch) {
    }

    /** An event claimed for one call; {@code attempt} counts this call (past the limit only after a sender died in the last). */
    public record Delivery(String deliveryId, String jobId, String url, String body, int attempt) {
    }

    private final DataSource database;
    private final Clock clock;
    private final Policy policy;
    private final WebhookSignature signature;

    public WebhookDeliveries(DataSource database, Clock clock, Policy policy, WebhookSignature signature) {
        this.database = database;
        this.clock = clock;
        this.policy = policy;
        this.signature = signature;
    }

    /** A finished job (completed, completed with errors, cancelled) tells its callback: event {@code job_STATE}. */
    public void jobFinished(String jobId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT state, callback_url, total, finished_at FROM jobs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet job = select.executeQuery()) {
                if (!job.next() || job.getString("callback_url") == null) {
                    return;
                }
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("job_id", jobId);
                event.put("state", job.getString("state"));
                event.put("total", job.getObject("total"));
                event.put("finished_at", job.getString("finished_at"));
                enqueue(jobId, "job_" + job.getString("state"), job.getString("finished_at"), job.getString("callback_url"), event);
            }
        }
    }

    /** A permanently failed task (its row, with its job's {@code callback_url}) tells the callback why. */
    public void taskFailed(Map<String, Object> task, String error) throws SQLException {
        Object url = task.get("callback_url");
        if (url == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("job_id", task.get("job_id"));
        event.put("task_id", task.get("task_id"));
        event.put("name", task.get("name"));
        event.put("error", error);
        enqueue(String.valueOf(task.get("job_id")), "task_permanently_failed", null, url.toString(), event);
    }

    private void enqueue(String jobId, String eventName, String occurrence, String url, Map<String, Object> fields) throws SQLException {
        String id = UUID.randomUUID().toString();
        String createdAt = clock.now();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("event", eventName);
        event.put("created_at", createdAt);
        event.putAll(fields);
        String body;
        try {
            body = JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of strings and numbers is always JSON", e);
        }
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_deliveries"
                     + " (delivery_id, job_id, event, occurrence, url, body, created_at, attempts, next_attempt_ms)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (job_id, event, occurrence) DO NOTHING")) {
            insert.setString(1, id);
            insert.setString(2, jobId);
            insert.setString(3, eventName);
            insert.setString(4, occurrence);
            insert.setString(5, url);
            insert.setString(6, body);
            insert.setString(7, createdAt);
            insert.setLong(8, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    /** The events due now that this node claimed, each for one call. */
    public List<Delivery> claimDue() throws SQLException {
        long now = System.currentTimeMillis();
        List<Delivery> claimed = new ArrayList<>();
        try (Connection connection = database.getConnection()) {
            List<Object[]> due = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT delivery_id, job_id, url, body, attempts, next_attempt_ms"
                    + " FROM webhook_deliveries WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_ms <= ?"
                    + " ORDER BY next_attempt_ms LIMIT ?")) {
                select.setLong(1, now);
                select.setInt(2, policy.batch());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        due.add(new Object[] {new Delivery(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getInt(5) + 1), rows.getLong(6)});
                    }
                }
            }
            try (PreparedStatement claim = connection.prepareStatement("UPDATE webhook_deliveries"
                    + " SET attempts = attempts + 1, next_attempt_ms = ?"
                    + " WHERE delivery_id = ? AND next_attempt_ms = ? AND delivered_at IS NULL")) {
                for (Object[] row : due) {
                    Delivery delivery = (Delivery) row[0];
                    claim.setLong(1, now + policy.claim().toMillis());
                    claim.setString(2, delivery.deliveryId());
                    claim.setLong(3, (Long) row[1]);
                    if (claim.executeUpdate() == 1) {
                        claimed.add(delivery);
                    }
                }
            }
        }
        return claimed;
    }

    /** The value of {@link WebhookSignature#HEADER} for this call, signed now. */
    public String signature(Delivery delivery) {
        return signature.header(System.currentTimeMillis() / 1000, delivery.body());
    }

    /** The receiver answered: a 2xx delivers the event, anything else is a failed attempt. */
    public void answered(Delivery delivery, int status) throws SQLException {
        if (status >= 200 && status < 300) {
            try (Connection connection = database.getConnection();
                 PreparedStatement update = connection.prepareStatement("UPDATE webhook_deliveries"
                         + " SET delivered_at = ?, last_status = ?, last_error = NULL WHERE delivery_id = ?")) {
                update.setString(1, clock.now());
                update.setInt(2, status);
                update.setString(3, delivery.deliveryId());
                update.executeUpdate();
            }
        } else {
            failedAttempt(delivery, status, "HTTP " + status);
        }
    }

    /** The call did not get an answer (refused address, no connection, timeout). */
    public void failed(Delivery delivery, String error) throws SQLException {
        failedAttempt(delivery, null, error);
    }

    private void failedAttempt(Delivery delivery, Integer status, String error) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE webhook_deliveries"
                     + " SET last_status = ?, last_error = ?, next_attempt_ms = ?, gave_up_at = ? WHERE delivery_id = ? AND delivered_at IS NULL")) {
            update.setObject(1, status);
            update.setString(2, error);
            update.setLong(3, System.currentTimeMillis() + backoff(delivery.attempt()).toMillis());
            update.setString(4, delivery.attempt() >= policy.maxAttempts() ? clock.now() : null);
            update.setString(5, delivery.deliveryId());
            update.executeUpdate();
        }
    }

    /** The wait after the {@code attempt}-th failed call: backoff × 2^(attempt−1), at most maxBackoff. */
    Duration backoff(int attempt) {
        int doublings = Math.min(attempt - 1, 40);
        long millis = policy.backoff().toMillis() << doublings;
        return millis <= 0 || millis > policy.maxBackoff().toMillis() ? policy.maxBackoff() : Duration.ofMillis(millis);
    }

    /** A deleted job's events go with it, delivered or not. */
    public void forget(String jobId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM webhook_deliveries WHERE job_id = ?")) {
            delete.setString(1, jobId);
            delete.executeUpdate();
        }
    }

    /** The job's status with its events' deliveries added as {@code webhooks}, oldest first. */
    public Map<String, Object> withWebhooks(Map<String, Object> status, String jobId) throws SQLException {
        List<Map<String, Object>> deliveries = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT delivery_id, event, created_at, attempts, last_status,"
                     + " last_error, delivered_at, gave_up_at FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, delivery_id")) {
            select.setString(1, jobId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> delivery = new LinkedHashMap<>();
                    boolean delivered = rows.getString("delivered_at") != null;
                    delivery.put("id", rows.getString("delivery_id"));
                    delivery.put("event", rows.getString("event"));
                    delivery.put("created_at", rows.getString("created_at"));
                    delivery.put("attempts", rows.getInt("attempts"));
                    delivery.put("delivered", delivered);
                    delivery.put("delivered_at", rows.getString("delivered_at"));
                    delivery.put("gave_up", rows.getString("gave_up_at") != null);
                    delivery.put("last_status", rows.getObject("last_status") == null ? null : rows.getInt("last_status"));
                    delivery.put("last_error", rows.getString("last_error"));
                    deliveries.add(delivery);
                }
            }
        }
        Map<String, Object> withWebhooks = new LinkedHashMap<>(status);
        withWebhooks.put("webhooks", deliveries);
        return withWebhooks;
    }
}
