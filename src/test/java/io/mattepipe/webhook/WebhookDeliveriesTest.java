package io.mattepipe.webhook;

import io.mattepipe.state.Clock;
import io.mattepipe.state.Database;
import io.mattepipe.state.TestPostgres;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store of webhook events on SQLite and on a real PostgreSQL: kept once, claimed once, settled, forgotten. */
class WebhookDeliveriesTest {

    @TempDir
    Path dir;

    private BasicDataSource pool;

    @AfterEach
    void close() {
        if (pool != null) {
            Database.close(pool);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    void anEventIsKeptOnceClaimedByOneSenderAndSettledByA2xx(Database.Dialect dialect) throws Exception {
        open(dialect);
        Clock clock = new Clock(Duration.ofMinutes(1));
        WebhookDeliveries deliveries = new WebhookDeliveries(pool, clock,
                new WebhookDeliveries.Policy(3, Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(1), 10),
                new WebhookSignature(WebhookSecret.resolve(pool, clock, "")));
        insertJob("job-a", "completed", "2026-12-08T00:00:00.000Z", "https://example.com/hook");
        insertJob("job-b", "completed", "2026-12-08T00:00:00.000Z", null);

        deliveries.jobFinished("job-a");
        deliveries.jobFinished("job-a");
        deliveries.jobFinished("job-b");
        deliveries.taskFailed(Map.of("job_id", "job-a", "task_id", "t1", "name", "cat.png",
                "callback_url", "https://example.com/hook"), "not an image");
        deliveries.taskFailed(Map.of("job_id", "job-a", "task_id", "t1", "name", "cat.png",
                "callback_url", "https://example.com/hook"), "not an image");

        List<WebhookDeliveries.Delivery> claimed = deliveries.claimDue();
        assertEquals(3, claimed.size(), "the job's finish once (finished again at the same time), each task failure: " + claimed);
        assertTrue(claimed.stream().allMatch(delivery -> delivery.attempt() == 1 && delivery.jobId().equals("job-a")));
        assertEquals(List.of(), deliveries.claimDue(), "a claimed event is not claimed again while its call runs");

        WebhookDeliveries.Delivery finish = claimed.stream().filter(d -> d.body().contains("\"job_completed\"")).findFirst().orElseThrow();
        deliveries.answered(finish, 204);
        for (WebhookDeliveries.Delivery failure : claimed) {
            if (failure != finish) {
                deliveries.answered(failure, 500);
            }
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> webhooks = (List<Map<String, Object>>) deliveries.withWebhooks(Map.of(), "job-a").get("webhooks");
        assertEquals(3, webhooks.size());
        for (Map<String, Object> webhook : webhooks) {
            boolean isFinish = webhook.get("id").equals(finish.deliveryId());
            assertEquals(1, webhook.get("attempts"));
            assertEquals(isFinish, webhook.get("delivered"), webhook.toString());
            assertEquals(isFinish ? 204 : 500, webhook.get("last_status"), webhook.toString());
            assertFalse((Boolean) webhook.get("gave_up"));
        }
        assertEquals(List.of(), deliveries.claimDue(), "a failed call waits its backoff (an hour here)");
        assertEquals(WebhookSecret.resolve(pool, clock, ""), WebhookSecret.resolve(pool, clock, " "), "the stored secret stays");

        deliveries.forget("job-a");
        assertEquals(List.of(), deliveries.withWebhooks(Map.of(), "job-a").get("webhooks"));
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    void anEventWhoseLastAllowedCallFailsIsGivenUp(Database.Dialect dialect) throws Exception {
        open(dialect);
        Clock clock = new Clock(Duration.ofMinutes(1));
        // no wait between calls, so only the limit stops them
        WebhookDeliveries deliveries = new WebhookDeliveries(pool, clock,
                new WebhookDeliveries.Policy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMinutes(1), 10),
                new WebhookSignature("whsec_test"));
        deliveries.taskFailed(Map.of("job_id", "job-c", "task_id", "t1", "name", "cat.png",
                "callback_url", "https://example.com/hook"), "not an image");

        deliveries.failed(claimOne(deliveries), "connection refused");
        assertEquals(false, webhook(deliveries).get("gave_up"), "one call of two");
        WebhookDeliveries.Delivery last = claimOne(deliveries);
        assertEquals(2, last.attempt());
        assertEquals(false, webhook(deliveries).get("gave_up"), "the last call is still running");
        deliveries.answered(last, 502);

        Map<String, Object> webhook = webhook(deliveries);
        assertEquals(true, webhook.get("gave_up"), webhook.toString());
        assertEquals(2, webhook.get("attempts"));
        assertEquals("HTTP 502", webhook.get("last_error"));
        assertEquals(List.of(), deliveries.claimDue());
    }

    /** The one event due, once its wait (a millisecond) has passed: waits for the claim, not for a time. */
    private static WebhookDeliveries.Delivery claimOne(WebhookDeliveries deliveries) {
        List<WebhookDeliveries.Delivery> claimed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<WebhookDeliveries.Delivery> due = deliveries.claimDue();
            while (due.isEmpty()) {
                Thread.onSpinWait();
                due = deliveries.claimDue();
            }
            return due;
        });
        assertEquals(1, claimed.size());
        return claimed.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> webhook(WebhookDeliveries deliveries) throws SQLException {
        List<Map<String, Object>> webhooks = (List<Map<String, Object>>) deliveries.withWebhooks(Map.of(), "job-c").get("webhooks");
        assertEquals(1, webhooks.size());
        return webhooks.get(0);
    }

    private void open(Database.Dialect dialect) {
        String url = dialect == Database.Dialect.SQLITE ? "jdbc:sqlite:" + dir.resolve("state.db") : TestPostgres.newDatabase();
        pool = Database.open(url, dialect == Database.Dialect.SQLITE ? "" : TestPostgres.user(), "", 2);
    }

    private void insertJob(String jobId, String state, String finishedAt, String callbackUrl) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (job_id, source, state, model, callback_url,"
                     + " created_at, updated_at, finished_at) VALUES (?, 'upload', ?, 'u2netp', ?, ?, ?, ?)")) {
            insert.setString(1, jobId);
            insert.setString(2, state);
            insert.setString(3, callbackUrl);
            insert.setString(4, finishedAt);
            insert.setString(5, finishedAt);
            insert.setString(6, finishedAt);
            insert.executeUpdate();
        }
    }
}
