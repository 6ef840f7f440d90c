package io.mattepipe.access;

import io.mattepipe.state.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who did what, when, from where: one line in the log (logger {@code audit}) and one row in
 * {@code audit_events} for each upload, download, render, review, matte edit, retry, cancel,
 * delete, key created or revoked, sign-in and failed sign-in. Admins read the rows at {@code GET /audit}.
 */
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("audit");

    private final DataSource database;
    private final Clock clock;

    public AuditLog(DataSource database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Records one event; {@code jobId} and {@code detail} may be null. */
    public void record(String actor, String action, String jobId, String detail, String client) throws SQLException {
        LOG.info("{} {} job={} from={}{}", actor, action, jobId == null ? "-" : jobId, client == null ? "-" : client,
                detail == null ? "" : " " + detail);
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO audit_events (at, actor, action, job_id, detail, client) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, clock.now());
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, jobId);
            insert.setString(5, detail);
            insert.setString(6, client);
            insert.executeUpdate();
        }
    }

    /** A caller's action on a job, as the API routes record it. */
    public void record(Caller caller, String action, String jobId) throws SQLException {
        record(caller.name(), action, jobId, null, caller.client());
    }

    /** The newest events first; {@code actor} or {@code jobId} narrow them when not null. */
    public List<Map<String, Object>> events(String actor, String jobId, int limit, int offset) throws SQLException {
        List<Map<String, Object>> events = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT at, actor, action, job_id, detail, client"
                     + " FROM audit_events WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR job_id = ?)"
                     + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
            select.setString(1, actor);
            select.setString(2, actor);
            select.setString(3, jobId);
            select.setString(4, jobId);
            select.setInt(5, limit);
            select.setInt(6, offset);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("at", rows.getString(1));
                    event.put("actor", rows.getString(2));
                    event.put("action", rows.getString(3));
                    event.put("job_id", rows.getString(4));
                    event.put("detail", rows.getString(5));
                    event.put("client", rows.getString(6));
                    events.add(event);
                }
            }
        }
        return events;
    }
}
