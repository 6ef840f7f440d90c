package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.state.TestPostgres;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gateways in cluster mode, in the test's JVM: nodes of profile cluster on an embedded Artemis
 * broker and a real PostgreSQL. One gateway sweeps at a time and another takes over when it stops;
 * work whose message was never sent (a Retry or an upload cut short by a crash) is sent by the
 * sweep, since the broker cannot redeliver what it never had; a gateway needs no model files.
 */
class ClusterGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private TestCluster cluster;
    private final List<RunningApp> nodes = new ArrayList<>();

    @BeforeEach
    void startBrokerAndDatabase() throws Exception {
        cluster = TestCluster.start(root);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (RunningApp node : nodes) {
            node.close();
        }
        cluster.close();
    }

    @Test
    void oneGatewaySweepsAndAnotherTakesOverWhenItStops() throws Exception {
        RunningApp first = start("all");
        RunningApp second = start("gateway");
        NotifyBuilder firstTicks = new NotifyBuilder(first.context()).fromRoute("sweep").whenDone(6).create();
        NotifyBuilder secondTicks = new NotifyBuilder(second.context()).fromRoute("sweep").whenDone(6).create();
        NotifyBuilder firstSwept = sweeps(first);
        NotifyBuilder secondSwept = sweeps(second);
        assertTrue(firstTicks.matches(60, TimeUnit.SECONDS) && secondTicks.matches(60, TimeUnit.SECONDS), "both sweep timers ran");

        String holder = cluster.queryOne("SELECT holder FROM sweep_lease");
        RunningApp holding = holder.equals(sweeperOf(first)) ? first : second;
        RunningApp waiting = holding == first ? second : first;
        assertEquals(sweeperOf(holding), holder, "the lease is one of the two gateways'");
        assertTrue((holding == first ? firstSwept : secondSwept).matches(), "the holder swept at its ticks");
        assertFalse((holding == first ? secondSwept : firstSwept).matches(), "the other gateway's ticks swept nothing");

        NotifyBuilder takeover = sweeps(waiting);
        holding.close();
        nodes.remove(holding);
        assertTrue(takeover.matches(60, TimeUnit.SECONDS), "the other gateway sweeps once the lease expired");
        assertEquals(sweeperOf(waiting), cluster.queryOne("SELECT holder FROM sweep_lease"));
    }

    /**
     * A gateway that died in a Retry, after setting the failed tasks back to pending and before
     * sending them, and one that died after recording an upload and before sending its split: in
     * both the broker holds no message. The sweep sends them once the queues stayed empty.
     */
    @Test
    void theSweepSendsTasksAndSplitsWhoseMessageWasNeverSent() throws Exception {
        RunningApp node = start("all");
        NotifyBuilder finished = new NotifyBuilder(node.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Path archive = root.resolve("photos.zip");
        TestArchives.zip(archive, TestArchives.numberedImages(4, 96, 64));
        String job = node.upload(archive, "photos.zip");
        assertTrue(finished.matches(120, TimeUnit.SECONDS), "the job finished");
        assertEquals("completed", status(node, job).get("state").asText());

        // the Retry's two statements ran, its sends did not: two tasks back to matting, two to the comparison
        cluster.update("UPDATE tasks SET state = 'permanently_failed', error = 'disk full' WHERE job_id = '" + job + "'");
        cluster.update("UPDATE tasks SET matting_ms = NULL WHERE job_id = '" + job + "' AND task_id IN"
                + " (SELECT task_id FROM tasks WHERE job_id = '" + job + "' ORDER BY task_id LIMIT 2)");
        NotifyBuilder retried = new NotifyBuilder(node.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        ProducerTemplate statements = node.context().createProducerTemplate();
        assertEquals(4, statement(statements, "job-retry-tasks", Map.of("jobId", job)));
        assertEquals(1, statement(statements, "job-reopen", Map.of("jobId", job)));
        assertEquals(4, status(node, job).path("counts").path("pending").asInt(), "the crash left the tasks pending, unsent");

        assertTrue(retried.matches(120, TimeUnit.SECONDS), "the sweep sent the retried tasks and the job finished again");
        JsonNode done = status(node, job);
        assertEquals("completed", done.get("state").asText(), done.toString());
        assertEquals(4, done.get("completed").asInt(), done.toString());
        assertEquals("4", cluster.queryOne("SELECT COUNT(*) FROM tasks WHERE job_id = '" + job + "' AND attempts = 1 AND matting_ms IS NOT NULL"
                + " AND state = 'completed'"), "each task ran once more (matted again or compared again), and once only");

        // an upload recorded (splitting) whose split was never sent
        JobIntake intake = node.context().getRegistry().lookupByNameAndType("jobIntake", JobIntake.class);
        Map<String, Object> lost = intake.newJob("upload", "lost.zip", null, "png", null, null, null);
        String lostJob = lost.get("jobId").toString();
        NotifyBuilder lostFinished = new NotifyBuilder(node.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Path raw = Files.createDirectories(new DataLayout(node.dataDir).raw(lostJob));
        TestArchives.zip(raw.resolve("lost.zip"), TestArchives.numberedImages(3, 96, 64));
        assertEquals(1, statement(statements, "job-insert", lost));
        assertEquals(1, statement(statements, "job-received", Map.of("jobId", lostJob, "bytes", Files.size(raw.resolve("lost.zip")))));

        assertTrue(lostFinished.matches(120, TimeUnit.SECONDS), "the sweep sent the lost split and the job finished");
        JsonNode lostDone = status(node, lostJob);
        assertEquals("completed", lostDone.get("state").asText(), lostDone.toString());
        assertEquals(3, lostDone.get("completed").asInt(), lostDone.toString());
        assertEquals(0, cluster.deadLetters(), "nothing dead-lettered");
    }

    /** The default models, named on a host without a models folder: jobs record them, the split runs. */
    @Test
    void aGatewayNeedsNoModelFiles() throws Exception {
        RunningApp gateway = start("gateway", Map.of("matting.model", "isnet-fp16+u2netp",
                "matting.models-dir", root.resolve("no-models-here").toString()));
        NotifyBuilder split = new NotifyBuilder(gateway.context()).fromRoute("split").whenDone(1).create();
        Path archive = root.resolve("photos.zip");
        TestArchives.zip(archive, TestArchives.numberedImages(2, 96, 64));
        String job = gateway.upload(archive, "photos.zip");
        assertTrue(split.matches(60, TimeUnit.SECONDS), "the gateway split the job");
        assertEquals("isnet-fp16+u2netp", cluster.queryOne("SELECT model FROM jobs WHERE job_id = '" + job + "'"));
        assertEquals(2, status(gateway, job).get("total").asInt(), "two tasks queued for the workers");
        assertFalse(Files.exists(root.resolve("no-models-here")));
    }

    /** Keys live in the shared database: one made from the command line works on every gateway, owners hold across them. */
    @Test
    void keysAndOwnersHoldOnEveryGateway() throws Exception {
        String alice;
        String bob;
        System.setProperty("db.url", cluster.databaseUrl);
        System.setProperty("db.user", TestPostgres.user());
        try {
            alice = AccessTestClient.keys(root.resolve("data"), "create", "alice");
            bob = AccessTestClient.keys(root.resolve("data"), "create", "bob");
        } finally {
            System.clearProperty("db.url");
            System.clearProperty("db.user");
        }
        RunningApp first = start("gateway");
        RunningApp second = start("gateway");
        NotifyBuilder split = new NotifyBuilder(first.context()).fromRoute("split").whenDone(1).create();
        HttpResponse<String> accepted = new AccessTestClient(first).upload(alice, "cluster.png");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String job = JSON.readTree(accepted.body()).get("job_id").asText();
        assertTrue(split.matches(60, TimeUnit.SECONDS), "the first gateway split the job");
        AccessTestClient other = new AccessTestClient(second);
        assertEquals(200, other.get("/status/" + job, alice).statusCode(), "alice's key works on the other gateway");
        assertEquals(404, other.get("/status/" + job, bob).statusCode(), "bob does not see alice's job there either");
        assertEquals(401, other.send("GET", "/status/" + job).statusCode());
        assertEquals("alice", cluster.queryOne("SELECT owner FROM jobs WHERE job_id = '" + job + "'"));
    }

    /**
     * A gateway's {@code /health} tells whether anyone does the work: per stage, the broker's depth
     * and consumers, and {@code degraded} with the reason while no worker consumes a stage.
     */
    @Test
    void aGatewayWithoutWorkersIsDegradedAndSaysWhichStageNobodyConsumes() throws Exception {
        RunningApp gateway = start("gateway");
        // the nodes' listeners attach to the broker just after their start returns
        JsonNode health = awaitHealth(gateway, h -> h.get("queues").get("split").get("consumers").asInt() >= 1);
        assertEquals("degraded", health.get("status").asText(), health.toString());
        assertTrue(health.get("reason").asText().contains("no worker consumes mattepipe.matting (matting)"), health.toString());
        assertTrue(health.get("reason").asText().contains("mattepipe.compare"), health.toString());
        assertEquals(0, health.get("queues").get("matting").get("consumers").asInt(), health.toString());
        assertEquals(200, gateway.get("/health").statusCode(), "a degraded gateway still takes uploads");

        start("worker");
        JsonNode served = awaitHealth(gateway, h -> "UP".equals(h.get("status").asText()));
        assertTrue(served.get("queues").get("matting").get("consumers").asInt() >= 1, served.toString());
        assertTrue(served.get("queues").get("compare").get("consumers").asInt() >= 1, served.toString());
        assertTrue(!served.has("reason"), served.toString());
        String metrics = gateway.get("/metrics").body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("mattepipe_queue_consumers{queue=\"matting\"}")
                && !line.endsWith(" 0.0")), metrics);
    }

    private static JsonNode awaitHealth(RunningApp node, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode health = JSON.readTree(node.get("/health").body());
        while (!condition.test(health)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("/health never became what the test waits for: " + health);
            }
            Thread.sleep(100);
            health = JSON.readTree(node.get("/health").body());
        }
        return health;
    }

    private RunningApp start(String role) throws Exception {
        return start(role, Map.of());
    }

    private RunningApp start(String role, Map<String, String> extra) throws Exception {
        Map<String, String> settings = cluster.nodeSettings(role);
        settings.put("camel.main.profile", "cluster");
        settings.put("recovery.sweep-ms", "300");
        // long beside the sweeps, so that a gateway slowed down by a loaded machine keeps it
        settings.put("recovery.lease-ms", "8000");
        settings.put("inbox.enabled", "false");
        settings.putAll(extra);
        RunningApp node = RunningApp.start(root.resolve("data"), settings);
        nodes.add(node);
        return node;
    }

    /** Sweeps of {@code node} that ran past the lease (each finishes missed jobs). */
    private static NotifyBuilder sweeps(RunningApp node) {
        return new NotifyBuilder(node.context()).wereSentTo("direct:finishMissedJobs").whenDone(3).create();
    }

    private static String sweeperOf(RunningApp node) {
        SweepLease lease = node.context().getRegistry().lookupByNameAndType("sweepLease", SweepLease.class);
        assertNotNull(lease);
        return lease.holder();
    }

    /** One statement through camel-sql, as the routes send it: its update count. */
    private static int statement(ProducerTemplate template, String name, Map<String, Object> headers) {
        Exchange done = template.request("sql:classpath:sql/" + name + ".sql?noop=true", e -> e.getMessage().setHeaders(new HashMap<>(headers)));
        if (done.getException() != null) {
            throw new AssertionError(name + ".sql failed", done.getException());
        }
        return done.getMessage().getHeader("CamelSqlUpdateCount", Integer.class);
    }

    private static JsonNode status(RunningApp node, String job) throws Exception {
        return JSON.readTree(node.get("/status/" + job).body());
    }
}
