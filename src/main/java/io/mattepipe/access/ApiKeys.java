package io.mattepipe.access;

import io.mattepipe.state.Clock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys that operators create with {@code keys create}: kept as hashes in the state
 * database, so every node of a cluster accepts a key made on any of them. Requests check a key
 * against a copy of the active keys that is read again once it is {@link #REFRESH} old, so a
 * key created or revoked from the command line takes effect within that time, and a request
 * costs a hash and a map look-up rather than a query.
 */
public final class ApiKeys {

    /** How old the copy of the keys may grow before a request reads them again. */
    static final Duration REFRESH = Duration.ofSeconds(2);

    /** A copy younger than this is not read again for an unknown key. */
    private static final Duration FRESH = Duration.ofMillis(250);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    /** One key as {@code keys list} shows it: never the key itself, which only its creator saw. */
    public record Key(String name, boolean admin, String createdAt, String revokedAt) {
    }

    private record Active(Map<String, Key> byHash, long readAt) {
    }

    private final DataSource database;
    private final Clock clock;
    private volatile Active active = new Active(Map.of(), Long.MIN_VALUE);

    public ApiKeys(DataSource database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A new key for {@code name}, returned once; only its hash is stored. */
    public String create(String name, boolean admin) throws SQLException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key's name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit: '" + name + "'");
        }
        if (named(name).isPresent()) {
            throw new IllegalArgumentException("a key named '" + name + "' exists (revoked keys keep their names for the audit trail)");
        }
        String key = Credentials.newSecret("mp_");
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO api_keys (name, key_hash, admin, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, Credentials.hash(key));
            insert.setInt(3, admin ? 1 : 0);
            insert.setString(4, clock.now());
            insert.executeUpdate();
        }
        active = new Active(Map.of(), Long.MIN_VALUE);
        return key;
    }

    /** Every key, revoked ones too, oldest first. */
    public List<Key> list() throws SQLException {
        List<Key> keys = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT name, admin, created_at, revoked_at FROM api_keys ORDER BY created_at, name");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keys.add(new Key(rows.getString(1), rows.getInt(2) == 1, rows.getString(3), rows.getString(4)));
            }
        }
        return keys;
    }

    /** Revokes the key named {@code name}; false when there is no active key of that name. */
    public boolean revoke(String name) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            update.setString(1, clock.now());
            update.setString(2, name);
            boolean revoked = update.executeUpdate() == 1;
            active = new Active(Map.of(), Long.MIN_VALUE);
            return revoked;
        }
    }

    /**
     * The active key {@code key} is, if it is one. A key the copy does not know is looked for once
     * more in the database when the copy is not brand new, so that a key just made on another
     * node works at once (failures are slowed down per client, so this is no way to load the database).
     */
    public Optional<Key> verify(String key) throws SQLException {
        String hash = Credentials.hash(key);
        Optional<Key> known = find(current(), hash);
        if (known.isEmpty() && System.nanoTime() - active.readAt() > FRESH.toNanos()) {
            active = new Active(Map.of(), Long.MIN_VALUE);
            known = find(current(), hash);
        }
        return known;
    }

    private static Optional<Key> find(Active keys, String hash) {
        for (Map.Entry<String, Key> entry : keys.byHash().entrySet()) {
            // every active hash is compared, in constant time, so the answer's timing says nothing
            if (Credentials.sameHash(entry.getKey(), hash)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether any key is active: from then on every request needs a credential. */
    public boolean any() throws SQLException {
        return !current().byHash().isEmpty();
    }

    /** Whether the key named {@code name} is still active (a session opened with it ends when it is revoked). */
    public boolean isActive(String name) throws SQLException {
        return current().byHash().values().stream().anyMatch(key -> key.name().equals(name));
    }

    private Optional<Key> named(String name) throws SQLException {
        return list().stream().filter(key -> key.name().equals(name)).findFirst();
    }

    private Active current() throws SQLException {
        Active copy = active;
        if (System.nanoTime() - copy.readAt() < REFRESH.toNanos() && copy.readAt() != Long.MIN_VALUE) {
            return copy;
        }
        Map<String, Key> byHash = new HashMap<>();
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT key_hash, name, admin, created_at FROM api_keys WHERE revoked_at IS NULL");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                byHash.put(rows.getString(1), new Key(rows.getString(2), rows.getInt(3) == 1, rows.getString(4), null));
            }
        }
        copy = new Active(Map.copyOf(byHash), System.nanoTime());
        active = copy;
        return copy;
    }
}
