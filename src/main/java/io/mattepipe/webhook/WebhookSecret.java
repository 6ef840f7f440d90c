package io.mattepipe.webhook;

import io.mattepipe.access.Credentials;
import io.mattepipe.state.Clock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The secret webhooks are signed with: {@code callback.secret} when set, otherwise one the service
 * made at its first start and keeps in the database, so every node of a cluster signs alike and a
 * restart keeps it. {@code mattepipe keys webhook-secret} prints it for the receivers.
 */
public final class WebhookSecret {

    private static final String NAME = "webhook-signing";

    private WebhookSecret() {
    }

    /** {@code setting} when not blank, else the stored secret, made now when there is none yet. */
    public static String resolve(DataSource database, Clock clock, String setting) throws SQLException {
        if (setting != null && !setting.isBlank()) {
            return setting.trim();
        }
        try (Connection connection = database.getConnection()) {
            // two nodes starting together both insert; the primary key keeps the first one
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO service_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, NAME);
                insert.setString(2, Credentials.newSecret("whsec_"));
                insert.setString(3, clock.now());
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT value FROM service_secrets WHERE name = ?")) {
                select.setString(1, NAME);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        }
    }
}
