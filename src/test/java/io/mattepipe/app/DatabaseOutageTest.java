package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.state.TestPostgres;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database away mid-job: its tasks wait for it instead of failing, and move again as soon as it
 * is back, not at the next recovery sweep (an hour away in these tests, so it cannot be what
 * finishes the job). Each node logs the outage once.
 */
class DatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far beyond the tests' patience: only the waiting messages can finish the job. */
    private static final Map<String, String> NO_SWEEP = Map.of("recovery.sweep-ms", "3600000", "recovery.lease-ms", "7200000");

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    /**
     * {@code tasks.db} locked by another process past the 30 s busy timeout: the statements that
     * meet the lock fail, their tasks wait instead of ending {@code failed}, and the job completes
     * once the lock is gone, with no attempt counted as failed.
     */
    @Test
    void tasksHeldUpBySqliteLockedPastItsBusyTimeoutMoveOnOnceItIsReleased() throws Exception {
        Path data = root.resolve("data");
        Map<String, String> settings = new HashMap<>(NO_SWEEP);
        settings.put("inbox.enabled", "false");
        RunningApp app = apps.start(data, settings);
        DatabaseOutage outage = app.context().getRegistry().lookupByNameAndType("databaseOutage", DatabaseOutage.class);
        NotifyBuilder oneDone = new NotifyBuilder(app.context()).from("seda:compare*").whenDone(1).create();
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        int images = 150;
        String job = app.upload(zip(images), "photos.zip");
        assertTrue(oneDone.matches(60, TimeUnit.SECONDS), "no task finished before the lock");

        NotifyBuilder movedOn;
        try (SqliteLockHolder lock = SqliteLockHolder.start(data.resolve("tasks.db"))) {
            awaitTrue(outage::isDown, Duration.ofSeconds(120), "no statement met the lock");
            movedOn = new NotifyBuilder(app.context()).from("seda:compare*").whenDone(1).create();
        }
        assertTrue(movedOn.matches(30, TimeUnit.SECONDS), "no task moved on after the lock: " + app.get("/status/" + job).body());
        assertTrue(finished.matches(300, TimeUnit.SECONDS), "the job did not finish: " + app.get("/status/" + job).body()
                + app.get("/jobs/" + job + "/tasks?status=processing").body());
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertEquals(images, status.get("completed").asInt(), status.toString());
        for (JsonNode task : JSON.readTree(app.get("/jobs/" + job + "/tasks?limit=" + images).body()).get("tasks")) {
            assertEquals(0, task.get("retry_count").asInt(), "the lock counted as a failed attempt: " + task);
        }
        assertTrue(!outage.isDown(), "the outage's end went unnoticed");
    }

    /**
     * PostgreSQL stopped mid-job under a gateway and a worker: the API answers 503 with Retry-After,
     * the worker's messages stay unconsumed, the worker logs one warning and one line when it is
     * back, and the job completes, each image once, soon after PostgreSQL starts again.
     */
    @Test
    void postgresStoppedMidJobAnswers503AndTheJobCompletesOnceItIsBack() throws Exception {
        int images = 400;
        List<ChildApp> nodes = new ArrayList<>();
        try (TestCluster cluster = TestCluster.start(root)) {
            Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
            Path workerLog = logs.resolve("outage-worker.log");
            Files.deleteIfExists(workerLog);
            ChildApp gateway = start(cluster, "gateway", logs.resolve("outage-gateway.log"), nodes);
            start(cluster, "worker", workerLog, nodes);
            String job = upload(gateway, images);
            JsonNode midway = gateway.awaitStatus(job, s -> "running".equals(s.get("state").asText())
                    && s.get("completed").asInt() >= 4, Duration.ofSeconds(120));

            TestPostgres.stop();
            try {
                HttpResponse<String> away = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/status/" + job)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, away.statusCode(), away.body());
                assertTrue(away.headers().firstValue("Retry-After").isPresent(), away.headers().map().toString());
                awaitTrue(() -> Files.readString(workerLog).contains("the database is away"), Duration.ofSeconds(60),
                        "the worker never met the outage");
                Thread.sleep(10_000); // the outage itself, not a wait for an outcome
            } finally {
                TestPostgres.start();
            }
            assertTrue(midway.get("completed").asInt() < images, "the outage came too late to test anything: " + midway);

            JsonNode done = gateway.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(120));
            assertEquals("completed", done.get("state").asText(), done.toString());
            assertEquals(images, done.get("completed").asInt(), done.toString());
            assertEquals("0", cluster.queryOne("SELECT COUNT(*) FROM tasks WHERE job_id = '" + job + "' AND retry_count > 0"),
                    "the outage counted as failed attempts");
            assertEquals(0, cluster.deadLetters(), "nothing dead-lettered");
            String log = Files.readString(workerLog);
            assertEquals(1, count(log, "the database is away"), log);
            assertEquals(1, count(log, "the database is back"), log);
            assertEquals(0, count(log, "\tat "), "a stack trace in the worker's log: " + log);
        } finally {
            for (ChildApp node : nodes) {
                node.kill();
            }
        }
    }

    private ChildApp start(TestCluster cluster, String role, Path log, List<ChildApp> nodes) throws Exception {
        Map<String, String> settings = cluster.nodeSettings(role);
        settings.putAll(NO_SWEEP);
        settings.put("matting.workers", "1");
        ChildApp node = ChildApp.start(root.resolve("data"), "384m", log, settings, List.of("--profile", "cluster"));
        nodes.add(node);
        return node;
    }

    private String upload(ChildApp gateway, int images) throws Exception {
        HttpResponse<String> accepted = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/upload?filename=photos.zip"))
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(zip(images))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return JSON.readTree(accepted.body()).get("job_id").asText();
    }

    private Path zip(int images) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            entries.put(String.format("img%03d.png", i), TestArchives.image("png", 64, 48));
        }
        Path zip = root.resolve("photos-" + images + ".zip");
        TestArchives.zip(zip, entries);
        return zip;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition condition, Duration timeout, String failure) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.sleep(50);
        }
    }
}
