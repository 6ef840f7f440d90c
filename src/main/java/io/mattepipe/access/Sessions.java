package io.mattepipe.access;

import io.mattepipe.state.Clock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The web page's sign-in sessions: a random token in an HttpOnly cookie, its hash in the state
 * database (so any gateway of a cluster knows it, and a copy of the database signs nobody in).
 * A session opened with a key ends when the key is revoked.
 */
public final class Sessions {

    /** The cookie that carries the token. */
    public static final String COOKIE = "mattepipe_session";

    private final DataSource database;
    private final Clock clock;
    private final ApiKeys keys;
    private final Duration lifetime;

    public Sessions(DataSource database, Clock clock, ApiKeys keys, Duration lifetime) {
        this.database = database;
        this.clock = clock;
        this.keys = keys;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session for {@code caller}; {@code keyName} is the key it signed in with, null through the issuer. */
    public String open(Caller caller, String keyName) throws SQLException {
        String token = Credentials.newSecret("");
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO sessions (token_hash, owner, admin, key_name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, Credentials.hash(token));
            insert.setString(2, caller.name());
            insert.setInt(3, caller.admin() ? 1 : 0);
            insert.setString(4, keyName);
            insert.setString(5, clock.now());
            insert.setString(6, clock.after(lifetime));
            insert.executeUpdate();
        }
        return token;
    }

    /** The caller a live session's token stands for. */
    public Optional<Caller> find(String token, String client) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT owner, admin, key_name FROM sessions WHERE token_hash = ? AND expires_at > ?")) {
            select.setString(1, Credentials.hash(token));
            select.setString(2, clock.now());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String keyName = row.getString(3);
                if (keyName != null && !keys.isActive(keyName)) {
                    return Optional.empty();
                }
                return Optional.of(new Caller(row.getString(1), row.getInt(2) == 1, client));
            }
        }
    }

    /** Ends the session of {@code token}, and every session that has expired. */
    public void close(String token) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM sessions WHERE token_hash = ? OR expires_at <= ?")) {
            delete.setString(1, Credentials.hash(token));
            delete.setString(2, clock.now());
            delete.executeUpdate();
        }
    }
}
