package io.mattepipe.state;

import io.mattepipe.app.ComparisonStage;
import io.mattepipe.app.MattingStage;
import io.mattepipe.app.TaskReview;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteConnection;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statement under {@code sql/}, through camel-sql as the routes send it, on SQLite and on a
 * real PostgreSQL: a job's whole life (and a cancelled and an abandoned one), the claim's takeover
 * of a dead worker's task, the schema's checks against {@link TaskState} and {@link JobState}.
 */
class StatementsTest {

    /** Values of the header startedAt (recovery's start, the sweep's now): after and before every job here. */
    private static final String LATER = "9999-12-31T23:59:59.999Z";
    private static final String EARLIER = "2000-01-01T00:00:00.000Z";

    private static final String JOB = "job-a";

    @TempDir
    Path dir;

    private CamelContext camel;
    private BasicDataSource pool;
    private ProducerTemplate template;
    private final Set<String> run = new TreeSet<>();

    @AfterEach
    void close() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (pool != null) {
            Database.close(pool);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    void everyStatementRunsThroughAJobsLife(Database.Dialect dialect) throws Exception {
        open(dialect);

        update("job-insert", Map.of(), jobHeaders(JOB, "upload"));
        assertEquals(1, update("job-received", Map.of(), Map.of("jobId", JOB, "bytes", 100L << 30)));
        Map<String, Object> job = one("job-get", Map.of("jobId", JOB));
        assertEquals(100L << 30, ((Number) job.get("bytes")).longValue(), "a 100 GiB upload fits");
        assertEquals("splitting", job.get("state"));
        // interrupted: created before this start (recovery's header startedAt), not since
        assertEquals(1, list("jobs-interrupted", Map.of("startedAt", LATER)).size());
        assertEquals(0, list("jobs-interrupted", Map.of("startedAt", EARLIER)).size());

        // the split inserts each task as it sends it
        assertEquals(1, update("task-insert", task("t1", "cat", "dispatched_matting"), Map.of()));
        assertEquals(1, update("task-insert", task("t2", "cat", "dispatched_matting"), Map.of()));
        assertEquals(1, update("task-insert", task("t3", "dog", "dispatched_matting"), Map.of()));
        assertEquals(0, update("task-insert", task("t1", "cat", "dispatched_matting"), Map.of()), "a re-run split skips what it created");
        assertEquals("dispatched_matting", one("task-get", Map.of("jobId", JOB, "taskId", "t1")).get("state"));
        assertEquals("t2", one("task-by-output", Map.of("jobId", JOB, "outputName", "cat~t2")).get("task_id"),
                "two entries named alike get distinct output names");
        assertEquals(1, update("job-split-done", Map.of(), headers("jobId", JOB, "splitError", null)));
        assertEquals(3, ((Number) one("job-get", Map.of("jobId", JOB)).get("total")).intValue());
        assertEquals(3L, send("tasks-stalled", "?outputType=SelectOne", null, Map.of()).getMessage().getBody(Long.class),
                "unfinished tasks of running jobs");

        // a resumed split sends again what no worker claimed yet
        assertEquals(1, update("task-redispatch-matting", key("t1"), Map.of()));

        // t1 all the way through, with a failed attempt on the way
        assertEquals(1, update("task-dispatched-matting", key("t1"), Map.of()));
        assertEquals(1, update("task-processing", key("t1"), Map.of()));
        assertEquals(0, update("task-processing", key("t1"), Map.of()), "a duplicate message does not take a live claim");
        assertEquals(1, update("task-failed-attempt", key("t1"), Map.of("error", "boom")));
        assertEquals(1, update("task-processing", key("t1"), Map.of()), "a failed attempt is claimed again");
        assertEquals(0, onAnotherThread(() -> update("task-matting-done", key("t1"),
                Map.of("matting", new MattingStage.Outcome(12, 64, 48, 0.42, 0.8, "undecided")))), "only the claim's holder finishes");
        assertEquals(1, update("task-matting-done", key("t1"), Map.of("matting", new MattingStage.Outcome(12, 64, 48, 0.42, 0.8, "undecided"))));
        // the matting route sends the task on as it leaves it: the comparison claims it from matting_done
        assertEquals(1, update("task-comparing", key("t1"), Map.of()));
        ComparisonStage.Figures figures = new ComparisonStage.Figures(7, 0.4, 0.01, 1, 1.0, null, 1.5, 0.02, 0.3, 0.4, 0.9);
        assertEquals(1, update("task-completed", key("t1"), Map.of("figures", figures)));
        Map<String, Object> t1 = one("task-get", Map.of("jobId", JOB, "taskId", "t1"));
        assertEquals("completed", t1.get("state"));
        assertEquals(0.42, ((Number) t1.get("confidence")).doubleValue(), 1e-9, "the confidence is stored with the matte");
        assertEquals(0.8, ((Number) t1.get("agreement")).doubleValue(), 1e-9);
        assertEquals("undecided", t1.get("doubts"));
        assertEquals(2, ((Number) t1.get("retry_count")).intValue() + ((Number) t1.get("attempts")).intValue(),
                "one failed matting try, one comparison try");
        assertTrue(t1.get("worker_id").toString().matches(".+:\\d+:.+"), "worker_id is host:pid:thread: " + t1.get("worker_id"));

        // t2 fails for good; t3 is still running, so the job is not done
        assertEquals(1, update("task-permanently-failed", key("t2"), headers("error", "not an image")));
        assertEquals(0, update("job-complete-if-done", Map.of(), Map.of("jobId", JOB)));
        assertEquals(List.of("t3"), column(list("tasks-to-queue", headers("jobId", JOB, "startedAt", LATER)), "task_id"));
        assertEquals(List.of("t3"), column(list("tasks-to-queue", headers("jobId", null, "startedAt", LATER)), "task_id"));
        assertEquals(List.of(), column(list("tasks-to-queue", headers("jobId", null, "startedAt", EARLIER)), "task_id"),
                "a job created since the start is left to its own split");

        // t3's worker dies mid-try: a duplicate waits, the redelivered message takes over
        assertEquals(1, update("task-dispatched-matting", key("t3"), Map.of()));
        assertEquals(1, onAnotherThread(() -> update("task-processing", key("t3"), Map.of())));
        assertEquals(0, update("task-processing", key("t3"), Map.of("JMSRedelivered", false)));
        assertEquals(1, update("task-processing", key("t3"), Map.of("JMSRedelivered", true)), "redelivery takes over");
        assertEquals(2, ((Number) one("task-get", Map.of("jobId", JOB, "taskId", "t3")).get("attempts")).intValue());
        // its claim expires: the next message takes it over even without the redelivered flag
        sql("UPDATE tasks SET start_time = '2000-01-01T00:00:00.000Z' WHERE task_id = 't3'");
        assertEquals(1, onAnotherThread(() -> update("task-processing", key("t3"), Map.of())), "an expired lease is taken over");
        assertEquals(0, update("task-matting-done", key("t3"), Map.of("matting", new MattingStage.Outcome(1, 1, 1, 1.0, null, null))),
                "the worker that lost the claim changes nothing");
        assertEquals(0, update("task-redispatch-matting", key("t3"), Map.of()), "a claimed task is not sent again");
        // a third death: that was its last allowed try, and no claim takes it over again
        sql("UPDATE tasks SET start_time = '2000-01-01T00:00:00.000Z' WHERE task_id = 't3'");
        assertEquals(0, update("task-processing", key("t3"), Map.of("JMSRedelivered", true)), "no fourth try of three");
        assertEquals(1, onAnotherThread(() -> update("task-permanently-failed", key("t3"), headers("error", "gone"))));
        // recovery and a retry send a task whose matte is done as dispatched_comparison, claimed the same way
        sql("UPDATE tasks SET state = 'matting_done' WHERE task_id = 't1'");
        assertEquals(1, update("task-dispatched-comparison", key("t1"), Map.of()));
        assertEquals(1, update("task-comparing", key("t1"), Map.of()));
        // the comparison claim takes over the same way
        sql("UPDATE tasks SET state = 'comparing', start_time = '2000-01-01T00:00:00.000Z' WHERE task_id = 't1'");
        assertEquals(1, update("task-comparing", key("t1"), Map.of()));
        sql("UPDATE tasks SET state = 'completed' WHERE task_id = 't1'");

        assertEquals(1, update("job-complete-if-done", Map.of(), Map.of("jobId", JOB)));
        assertEquals(0, update("job-complete-if-done", Map.of(), Map.of("jobId", JOB)), "exactly one caller finishes a job");
        assertEquals("completed_with_errors", one("job-get", Map.of("jobId", JOB)).get("state"));

        // the review queue: t1's confidence 0.42 is under the threshold 0.5 until someone decides
        assertEquals(Map.of("to_review", 1L, "accepted", 0L, "rejected", 0L), longs(one("job-review-counts", Map.of("jobId", JOB))));
        sql("UPDATE tasks SET confidence = 0.9 WHERE task_id = 't3'");
        assertEquals(List.of("t1", "t3", "t2"), column(list("tasks-list-by-confidence",
                headers("jobId", JOB, "status", null, "limit", 10, "offset", 0)), "task_id"), "worst first, none last");
        assertEquals(1, update("task-review", Map.of(), headers("jobId", JOB, "taskId", "t1", "review", "rejected")));
        assertEquals(0, update("task-review", Map.of(), headers("jobId", JOB, "taskId", "t2", "review", "accepted")),
                "a failed task has no cutout to judge");
        assertEquals(Map.of("to_review", 0L, "accepted", 0L, "rejected", 1L), longs(one("job-review-counts", Map.of("jobId", JOB))));
        assertEquals("rejected", one("task-get", Map.of("jobId", JOB, "taskId", "t1")).get("review"));
        // a new matte: its version and the figures measured again
        ComparisonStage.Figures again = new ComparisonStage.Figures(5, 0.5, 0.02, 1, 1.0, null, null, null, null, null, null);
        assertEquals(1, update("task-matte-changed", Map.of(), headers("jobId", JOB, "taskId", "t1", "matteVersion", 2, "figures", again)));
        Map<String, Object> changed = one("task-get", Map.of("jobId", JOB, "taskId", "t1"));
        assertEquals(2, ((Number) changed.get("matte_version")).intValue());
        assertEquals(0.5, ((Number) changed.get("fg_fraction")).doubleValue(), 1e-12);
        assertEquals(0, update("task-matte-changed", Map.of(), headers("jobId", JOB, "taskId", "t2", "matteVersion", 1, "figures", again)),
                "a failed task has no matte to change");

        Map<String, Long> counts = counts(list("job-counts", Map.of("jobId", JOB)));
        assertEquals(Map.of("completed", 1L, "permanently_failed", 2L), counts);
        assertEquals(Map.of("completed", 1L, "permanently_failed", 2L), counts(list("tasks-by-state", Map.of())));
        assertEquals(List.of("t1", "t2", "t3"), column(list("tasks-of-job", Map.of("jobId", JOB)), "task_id"));
        assertEquals(List.of("t2", "t3"), column(list("tasks-page", Map.of("jobId", JOB, "after", "t1", "pageSize", 5)), "task_id"));
        assertEquals(List.of("t1"), column(list("tasks-list", headers("jobId", JOB, "status", "completed", "limit", 10, "offset", 0)), "task_id"));
        assertEquals(List.of("t2", "t3"), column(list("tasks-list", headers("jobId", JOB, "status", null, "limit", 10, "offset", 1)), "task_id"));
        Map<String, Object> listed = list("jobs-list", Map.of("limit", 10, "offset", 0, "seesAll", 1, "owner", "root")).get(0);
        assertEquals(JOB, listed.get("job_id"));
        assertEquals("local", listed.get("owner"));
        assertEquals(List.of(JOB), column(list("jobs-list", Map.of("limit", 10, "offset", 0, "seesAll", 0, "owner", "local")), "job_id"));
        assertEquals(List.of(), list("jobs-list", Map.of("limit", 10, "offset", 0, "seesAll", 0, "owner", "someone-else")),
                "another owner's list holds none of this job");
        assertEquals(1L, ((Number) listed.get("completed")).longValue());
        assertEquals(2L, ((Number) listed.get("failed")).longValue());

        // retry: the permanently failed tasks with a chunk go back, and the job runs again; each is
        // claimed for sending once
        assertEquals(2, update("job-retry-tasks", Map.of(), Map.of("jobId", JOB)));
        assertEquals(1, update("job-reopen", Map.of(), Map.of("jobId", JOB)));
        assertEquals(List.of(JOB), column(list("jobs-running", Map.of()), "job_id"));
        assertEquals(List.of("t2", "t3"), column(list("tasks-retried", Map.of("jobId", JOB)), "task_id"));
        assertEquals(1, update("task-retry-dispatch", key("t2"), Map.of()));
        assertEquals(0, update("task-retry-dispatch", key("t2"), Map.of()), "a second Retry press sends nothing again");
        assertEquals(0, update("job-delete", Map.of(), Map.of("jobId", JOB)), "a running job is not deleted");

        // cancel: the job and its unfinished tasks; the tasks end 'cancelled'
        assertEquals(1, update("job-cancel", Map.of(), Map.of("jobId", JOB)));
        assertEquals(2, update("job-cancel-tasks", Map.of(), Map.of("jobId", JOB)));
        assertEquals(Map.of("completed", 1L, "cancelled", 2L), counts(list("job-counts", Map.of("jobId", JOB))));
        assertEquals(0, update("task-insert", task("t4", "eel", "dispatched_matting"), Map.of()), "no task joins a cancelled job");
        assertEquals(3, list("tasks-of-job", Map.of("jobId", JOB)).size());

        // a failure another try cannot fix is not retried
        sql("UPDATE tasks SET state = 'dispatched_matting' WHERE task_id = 't2'");
        assertEquals(1, update("task-permanently-failed", key("t2"), headers("error", "not an image", "retryable", 0)));
        assertEquals(0, update("job-retry-tasks", Map.of(), Map.of("jobId", JOB)), "not an image stays failed");

        // delete: a finished job, then its tasks
        assertEquals(1, update("job-delete", Map.of(), Map.of("jobId", JOB)));
        assertEquals(3, update("job-delete-tasks", Map.of(), Map.of("jobId", JOB)));
        assertEquals(Map.of(), counts(list("job-counts", Map.of("jobId", JOB))));

        // an upload that never arrived whole
        update("job-insert", Map.of(), jobHeaders("job-b", "upload"));
        assertEquals(1, update("job-abandoned", Map.of(), headers("jobId", "job-b", "error", "interrupted")));
        assertEquals("cancelled", one("job-get", Map.of("jobId", "job-b")).get("state"));

        // an inbox drop a crash caught before it was moved into its job: the row goes, an upload's stays
        update("job-insert", Map.of(), jobHeaders("job-d", "inbox"));
        assertEquals(0, update("job-forget-untaken-drop", Map.of(), Map.of("jobId", "job-b")), "an upload's row stays");
        assertEquals(1, update("job-forget-untaken-drop", Map.of(), Map.of("jobId", "job-d")));
        assertEquals(0, list("job-get", Map.of("jobId", "job-d")).size());

        // an inbox drop: found again by name and size, and its finished job is one for the outbox
        update("job-insert", Map.of(), jobHeaders("job-c", "inbox"));
        assertEquals(1, update("job-received", Map.of(), Map.of("jobId", "job-c", "bytes", 1234L)));
        assertEquals(1, list("jobs-same-inbox-drop", Map.of("name", "photos.zip", "bytes", 1234L)).size());
        assertEquals(1, update("job-split-done", Map.of(), headers("jobId", "job-c", "splitError", null)));
        assertEquals(1, update("job-complete-if-done", Map.of(), Map.of("jobId", "job-c")));
        assertEquals(List.of("job-c"), column(list("jobs-finished-for-outbox", Map.of()), "job_id"));
        // a split that stopped early (its error kept) splits again on retry; a whole one does not
        assertEquals(0, update("job-resplit", Map.of(), Map.of("jobId", "job-c")));
        update("job-insert", Map.of(), jobHeaders("job-e", "upload"));
        assertEquals(1, update("job-received", Map.of(), Map.of("jobId", "job-e", "bytes", 10L)));
        assertEquals(1, update("job-split-done", Map.of(), headers("jobId", "job-e", "splitError", "the disk is full")));
        assertEquals(1, update("job-complete-if-done", Map.of(), Map.of("jobId", "job-e")));
        assertEquals(1, update("job-resplit", Map.of(), Map.of("jobId", "job-e")));
        assertEquals("splitting", one("job-get", Map.of("jobId", "job-e")).get("state"));

        // the recovery sweep's lease (its own test below)
        assertEquals(1, update("sweep-lease", Map.of(), lease("gateway-a", "2026-01-01T00:00:00.000Z", "2026-01-01T00:03:00.000Z")));

        assertEquals(statementFiles(), run, "every statement under sql/ ran");
    }

    /**
     * Two gateways' sweeps against one lease, at times given explicitly: only the holder sweeps
     * while it renews; once it stops, the other takes the lease when it expires, and the old holder
     * is refused from then on.
     */
    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    void oneGatewayHoldsTheSweepLeaseUntilItStopsRenewing(Database.Dialect dialect) throws Exception {
        open(dialect);
        assertEquals(1, update("sweep-lease", Map.of(), lease("a", "2026-01-01T00:00:00.000Z", "2026-01-01T00:03:00.000Z")),
                "the first sweep takes the lease nobody held");
        assertEquals(0, update("sweep-lease", Map.of(), lease("b", "2026-01-01T00:00:00.500Z", "2026-01-01T00:03:00.500Z")),
                "another gateway does not sweep while the lease holds");
        assertEquals(1, update("sweep-lease", Map.of(), lease("a", "2026-01-01T00:01:00.000Z", "2026-01-01T00:04:00.000Z")),
                "the holder renews it");
        assertEquals(0, update("sweep-lease", Map.of(), lease("b", "2026-01-01T00:03:30.000Z", "2026-01-01T00:06:30.000Z")),
                "the renewal moved the expiry: still a's");
        // a stops renewing (it died): its lease runs out at 00:04
        assertEquals(1, update("sweep-lease", Map.of(), lease("b", "2026-01-01T00:04:00.001Z", "2026-01-01T00:07:00.001Z")),
                "once expired, the other gateway takes it");
        assertEquals(0, update("sweep-lease", Map.of(), lease("a", "2026-01-01T00:04:30.000Z", "2026-01-01T00:07:30.000Z")),
                "the old holder, back, does not sweep beside the new one");
        assertEquals(1, update("sweep-lease", Map.of(), lease("b", "2026-01-01T00:05:00.000Z", "2026-01-01T00:08:00.000Z")));
    }

    /** Eight gateways reach an expired lease at the same moment: exactly one takes it, on either database. */
    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    void gatewaysRacingForAnExpiredLeaseLeaveOneHolder(Database.Dialect dialect) throws Exception {
        open(dialect);
        int gateways = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(gateways);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(gateways);
        List<CompletableFuture<Integer>> takes = new java.util.ArrayList<>();
        for (int i = 0; i < gateways; i++) {
            String holder = "gateway-" + i;
            takes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return update("sweep-lease", Map.of(), lease(holder, "2026-01-01T00:00:00.000Z", "2026-01-01T00:03:00.000Z"));
            }, threads));
        }
        int taken = 0;
        for (CompletableFuture<Integer> take : takes) {
            taken += take.get();
        }
        threads.shutdown();
        assertEquals(1, taken, "one holder");
        try (Connection connection = pool.getConnection(); Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT holder FROM sweep_lease")) {
            assertTrue(row.next());
            String holder = row.getString("holder");
            assertTrue(holder.startsWith("gateway-"), holder);
            assertEquals(0, update("sweep-lease", Map.of(), lease(holder.equals("gateway-0") ? "gateway-1" : "gateway-0",
                    "2026-01-01T00:00:01.000Z", "2026-01-01T00:03:01.000Z")), "the losers stay out");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    void theSchemaTakesEveryStateNameAndRefusesOthers(Database.Dialect dialect) throws Exception {
        open(dialect);
        update("job-insert", Map.of(), jobHeaders(JOB, "upload"));
        // before the job's states: a cancelled job takes no tasks
        assertEquals(1, update("task-insert", task("t1", "cat", "pending"), Map.of()));
        for (JobState state : JobState.values()) {
            sql("UPDATE jobs SET state = '" + state.sqlName() + "'");
        }
        for (TaskState state : TaskState.values()) {
            sql("UPDATE tasks SET state = '" + state.sqlName() + "'");
        }
        assertThrows(SQLException.class, () -> sql("UPDATE tasks SET state = 'done'"));
        assertThrows(SQLException.class, () -> sql("UPDATE jobs SET state = 'finished'"));
    }

    /** Asked after every task: it must be one probe of the unfinished tasks, not a walk of the job's finished ones. */
    @Test
    void theCompletionCheckUsesTheIndexOfUnfinishedTasksOnSqlite() throws Exception {
        open(Database.Dialect.SQLITE);
        String check = "SELECT 1 FROM tasks WHERE job_id = 'j' AND state NOT IN ('completed', 'permanently_failed', 'cancelled')";
        String statement = Files.readString(statementFolder().resolve("job-complete-if-done.sql"));
        assertTrue(statement.replaceAll("\\s+", " ").contains(check.replace("'j'", ":#jobId")),
                "the probe below is the statement's");
        try (Connection connection = pool.getConnection(); Statement query = connection.createStatement();
             ResultSet plan = query.executeQuery("EXPLAIN QUERY PLAN " + check)) {
            StringBuilder steps = new StringBuilder();
            while (plan.next()) {
                steps.append(plan.getString("detail")).append('\n');
            }
            assertTrue(steps.toString().contains("tasks_unfinished"), steps.toString());
        }
    }

    /**
     * Every pooled SQLite connection writes ahead and checkpoints every 10,000 pages, and its driver
     * looks for no generated keys (no SELECT last_insert_rowid() after each INSERT).
     */
    @Test
    void sqliteConnectionsCheckpointRarelyAndSkipGeneratedKeys() throws Exception {
        pool = Database.open("jdbc:sqlite:" + dir.resolve("settings.db"), "", "", 2);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            assertEquals("wal", pragma(statement, "journal_mode"));
            assertEquals("10000", pragma(statement, "wal_autocheckpoint"));
            assertFalse(connection.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys());
        }
    }

    private static String pragma(Statement statement, String name) throws Exception {
        try (ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            assertTrue(result.next(), name);
            return result.getString(1);
        }
    }

    /** A data folder from before the migrations: its rows survive, renamed and re-stated. */
    @Test
    void anOldSqliteDatabaseIsMigrated() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            String v1 = Files.readString(Path.of(getClass().getResource("/db/migration/sqlite/V1__jobs_and_tasks.sql").toURI()));
            for (String ddl : v1.replaceAll("--[^\n]*", "").split(";")) {
                if (!ddl.isBlank()) {
                    statement.execute(ddl);
                }
            }
            statement.execute("INSERT INTO jobs (id, source, state, created_at, updated_at) VALUES ('old', 'upload', 'cancelled', 'x', 'x')");
            statement.execute("INSERT INTO tasks (job_id, task_id, name, output_name, state, error, updated_at)"
                    + " VALUES ('old', 't', 'a.jpg', 'a', 'permanently_failed', 'cancelled', 'x')");
        }
        pool = Database.open("jdbc:sqlite:" + file, "", "", 2);
        startCamel();
        assertEquals("cancelled", one("job-get", Map.of("jobId", "old")).get("state"));
        assertEquals("cancelled", one("task-get", Map.of("jobId", "old", "taskId", "t")).get("state"));
    }

    private void open(Database.Dialect dialect) throws Exception {
        String url = dialect == Database.Dialect.SQLITE ? "jdbc:sqlite:" + dir.resolve("tasks.db") : TestPostgres.newDatabase();
        pool = Database.open(url, dialect == Database.Dialect.SQLITE ? "" : TestPostgres.user(), "", 4);
        startCamel();
    }

    private void startCamel() {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("retry.max-attempts", "3");
        camel.getRegistry().bind("dataSource", pool);
        camel.getRegistry().bind("clock", new Clock(Duration.ofMinutes(10)));
        camel.getRegistry().bind("worker", new WorkerId());
        camel.getRegistry().bind("taskReview", new TaskReview(0.5));
        camel.start();
        template = camel.createProducerTemplate();
    }

    private int update(String statement, Map<String, Object> body, Map<String, Object> headers) {
        Exchange result = send(statement, "?noop=true", body, headers);
        return result.getMessage().getHeader("CamelSqlUpdateCount", Integer.class);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(String statement, Map<String, Object> headers) {
        return send(statement, "", null, headers).getMessage().getBody(List.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> one(String statement, Map<String, Object> headers) {
        return send(statement, "?outputType=SelectOne", null, headers).getMessage().getBody(Map.class);
    }

    private Exchange send(String statement, String options, Object body, Map<String, Object> headers) {
        run.add(statement);
        Exchange exchange = template.request("sql:classpath:sql/" + statement + ".sql" + options, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new HashMap<>(headers));
        });
        if (exchange.getException() != null) {
            throw new AssertionError(statement + ".sql failed: " + exchange.getException().getMessage(), exchange.getException());
        }
        return exchange;
    }

    /** A row of counts with each value as a long, whatever integer type the database gave. */
    private static Map<String, Long> longs(Map<String, Object> row) {
        return row.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> ((Number) e.getValue()).longValue()));
    }

    private void sql(String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static int onAnotherThread(java.util.concurrent.Callable<Integer> call) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get();
    }

    private static Map<String, Object> jobHeaders(String jobId, String source) {
        return headers("jobId", jobId, "source", source, "jobName", "photos.zip", "model", "tiny", "format", "png",
                "bgcolor", null, "maskOnly", 0, "callbackUrl", null, "owner", "local", "renderOptions", "size=800x800&scale=85");
    }

    private static Map<String, Object> task(String taskId, String outputName, String state) {
        Map<String, Object> row = key(taskId);
        row.put("name", outputName + ".jpg");
        row.put("output_name", outputName);
        row.put("chunk", "input/" + JOB + "/chunks/" + taskId + ".jpg");
        row.put("state", state);
        row.put("error", null);
        return row;
    }

    /** The headers the sweep route gives sweep-lease.sql: who asks, its now, and the expiry it asks for. */
    private static Map<String, Object> lease(String sweeper, String now, String leaseUntil) {
        return headers("sweeper", sweeper, "now", now, "leaseUntil", leaseUntil);
    }

    private static Map<String, Object> key(String taskId) {
        Map<String, Object> row = new HashMap<>();
        row.put("job_id", JOB);
        row.put("task_id", taskId);
        return row;
    }

    /** A header map that may hold nulls (Map.of may not). */
    private static Map<String, Object> headers(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Object> column(List<Map<String, Object>> rows, String name) {
        return rows.stream().map(row -> row.get(name)).collect(Collectors.toList());
    }

    private static Map<String, Long> counts(List<Map<String, Object>> rows) {
        return rows.stream().collect(Collectors.toMap(row -> row.get("state").toString(), row -> ((Number) row.get("n")).longValue()));
    }

    private static Path statementFolder() throws URISyntaxException {
        return Path.of(StatementsTest.class.getResource("/sql").toURI());
    }

    private static Set<String> statementFiles() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(statementFolder())) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql"))
                    .map(name -> name.substring(0, name.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
