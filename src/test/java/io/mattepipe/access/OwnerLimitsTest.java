package io.mattepipe.access;

import io.mattepipe.state.Clock;
import io.mattepipe.state.Database;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each per-owner limit on a real database: what passes, what is refused with which status, and that admins pass. */
class OwnerLimitsTest {

    @TempDir
    Path temp;

    private BasicDataSource database;
    private final Clock clock = new Clock(Duration.ofMinutes(10));
    private final Caller alice = new Caller("alice", false, "198.51.100.1");

    @BeforeEach
    void open() {
        database = Database.open(Database.url("", temp.resolve("tasks.db")), "", "", 2);
    }

    @AfterEach
    void close() {
        Database.close(database);
    }

    private void job(String owner, String state, long bytes) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (job_id, source, state, owner, bytes,"
                     + " created_at, updated_at) VALUES (?, 'upload', ?, ?, ?, ?, ?)")) {
            insert.setString(1, java.util.UUID.randomUUID().toString());
            insert.setString(2, state);
            insert.setString(3, owner);
            insert.setLong(4, bytes);
            insert.setString(5, clock.now());
            insert.setString(6, clock.now());
            insert.executeUpdate();
        }
    }

    @Test
    void jobsRunningAtOnceCountOnlyTheOwnersUnfinishedJobs() throws Exception {
        OwnerLimits limits = new OwnerLimits(database, new OwnerLimits.Settings(2, 0, 0));
        job("alice", "running", 10);
        job("alice", "completed", 10);
        job("bob", "running", 10);
        assertDoesNotThrow(() -> limits.admitUpload(alice, -1));
        job("alice", "splitting", 10);
        OwnerLimits.LimitExceeded refused = assertThrows(OwnerLimits.LimitExceeded.class, () -> limits.admitUpload(alice, -1));
        assertEquals(429, refused.status());
        assertTrue(refused.getMessage().contains("limits.jobs-at-once=2"), refused.getMessage());
        assertTrue(refused.retryAfterSeconds() > 0);
        assertDoesNotThrow(() -> limits.admitUpload(new Caller("root", true, "127.0.0.1"), -1), "admins are not limited");
    }

    @Test
    void bytesKeptCountTheDeclaredUploadToo() throws Exception {
        OwnerLimits limits = new OwnerLimits(database, new OwnerLimits.Settings(0, 0, 1_000));
        job("alice", "completed", 600);
        assertDoesNotThrow(() -> limits.admitUpload(alice, 400));
        OwnerLimits.LimitExceeded refused = assertThrows(OwnerLimits.LimitExceeded.class, () -> limits.admitUpload(alice, 401));
        assertEquals(507, refused.status());
        assertTrue(refused.getMessage().contains("limits.bytes-kept=1000"), refused.getMessage());
    }

    @Test
    void uploadsPerMinuteAreCountedPerOwner() throws Exception {
        OwnerLimits limits = new OwnerLimits(database, new OwnerLimits.Settings(0, 2, 0));
        limits.admitUpload(alice, -1);
        limits.admitUpload(alice, -1);
        OwnerLimits.LimitExceeded refused = assertThrows(OwnerLimits.LimitExceeded.class, () -> limits.admitUpload(alice, -1));
        assertEquals(429, refused.status());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 61, String.valueOf(refused.retryAfterSeconds()));
        assertDoesNotThrow(() -> limits.admitUpload(new Caller("bob", false, "198.51.100.2"), -1), "bob has his own count");
    }
}
