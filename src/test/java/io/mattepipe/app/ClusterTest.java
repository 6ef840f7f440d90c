package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.state.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode as it is deployed: a gateway JVM and two worker JVMs (forked, profile cluster) on an
 * ActiveMQ Artemis broker (in the test's JVM) and a real PostgreSQL, sharing one data folder. A
 * node or the broker dies mid-job; the job still completes with every image done exactly once.
 */
class ClusterTest {

    private static final int IMAGES = 36;

    @TempDir
    Path root;

    private TestCluster cluster;
    private final List<ChildApp> nodes = new ArrayList<>();

    @BeforeEach
    void startBrokerAndDatabase() throws Exception {
        cluster = TestCluster.start(root);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ChildApp node : nodes) {
            node.kill();
        }
        cluster.close();
    }

    @Test
    void aWorkerKilledMidJobLosesNothingAndRepeatsNothing() throws Exception {
        ChildApp gateway = startGatewayAndTwoWorkers();
        String job = upload(gateway, "photos.zip", IMAGES);

        JsonNode midway = awaitSomeCompleted(gateway, job);
        nodes.get(1).kill();
        assertTrue(midway.get("completed").asInt() < IMAGES, "the kill came too late to test anything: " + midway);

        assertCompletedOnce(gateway, job, IMAGES);
    }

    @Test
    void aGatewayKilledMidSplitIsRestartedAndTheSplitResumes() throws Exception {
        ChildApp gateway = startGatewayAndTwoWorkers();
        int images = 120;
        String job = upload(gateway, "many.zip", images);
        JsonNode splitting = gateway.awaitStatus(job, s -> s.get("total").asInt() > 0 || !"splitting".equals(s.get("state").asText()),
                Duration.ofSeconds(60));
        gateway.kill();
        assertEquals("splitting", splitting.get("state").asText(), "the split ended before the kill: " + splitting);

        ChildApp restarted = start("gateway");
        assertCompletedOnce(restarted, job, images);
    }

    @Test
    void aBrokerStoppedForTenSecondsMidJobLosesNothing() throws Exception {
        ChildApp gateway = startGatewayAndTwoWorkers();
        String job = upload(gateway, "photos.zip", IMAGES);
        JsonNode midway = awaitSomeCompleted(gateway, job);
        cluster.broker.stopServer();
        JsonNode down = gateway.getJson("/health");
        assertEquals("DOWN", down.get("broker").asText(), down.toString());
        Thread.sleep(10_000); // the outage itself, not a wait for an outcome
        cluster.broker.startServer();
        assertTrue(midway.get("completed").asInt() < IMAGES, "the outage came too late to test anything: " + midway);

        assertCompletedOnce(gateway, job, IMAGES);
        assertEquals("UP", gateway.getJson("/health").get("broker").asText());
    }

    /** The gateway (returned) and two workers, in that order in {@code nodes}. */
    private ChildApp startGatewayAndTwoWorkers() throws Exception {
        ChildApp gateway = start("gateway");
        start("worker");
        start("worker");
        return gateway;
    }

    private static JsonNode awaitSomeCompleted(ChildApp gateway, String job) throws Exception {
        return gateway.awaitStatus(job, s -> s.get("completed").asInt() >= 4, Duration.ofSeconds(90));
    }

    private ChildApp start(String role) throws Exception {
        Map<String, String> settings = cluster.nodeSettings(role);
        settings.put("matting.workers", "1");
        settings.put("recovery.sweep-ms", "2000");
        // a restarted gateway takes the sweep over from its dead predecessor within the test's patience
        settings.put("recovery.lease-ms", "6000");
        // the nodes' logs outlive the test's folder, for a failure's post-mortem
        Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
        ChildApp node = ChildApp.start(root.resolve("data"), "384m", logs.resolve(role + "-" + nodes.size() + ".log"),
                settings, List.of("--profile", "cluster"));
        nodes.add(node);
        return node;
    }

    private String upload(ChildApp gateway, String name, int images) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            entries.put(String.format("img%03d.png", i), TestArchives.image("png", 160, 120));
        }
        Path upload = root.resolve(name);
        TestArchives.zip(upload, entries);
        HttpResponse<String> accepted = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/upload?filename=" + name))
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
    }

    /** The job completed, each image once: one task row each, all completed, a whole zip without duplicates. */
    private void assertCompletedOnce(ChildApp gateway, String job, int images) throws Exception {
        JsonNode done = gateway.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(300));
        assertEquals("completed", done.get("state").asText(), done.toString());
        assertEquals(images, done.get("completed").asInt(), done.toString());
        assertEquals(images, done.get("total").asInt(), done.toString());

        HttpResponse<byte[]> zip = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/download/" + job)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        Map<String, byte[]> results = TestArchives.unzip(zip.body()); // fails on a duplicate entry
        assertEquals(2 * images + 3, results.size(), results.keySet().toString());
        for (int i = 0; i < images; i++) {
            assertTrue(results.containsKey(String.format("img%03d.png", i)));
            assertTrue(results.containsKey(String.format("img%03d_compare.jpg", i)));
        }
        try (Stream<Path> chunks = Files.list(root.resolve("data").resolve("input").resolve(job).resolve("chunks"))) {
            assertEquals(images, chunks.count(), "each image split once");
        }
        try (Connection connection = DriverManager.getConnection(cluster.databaseUrl, TestPostgres.user(), "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) AS n, MAX(retry_count) AS failed_tries, MAX(attempts) AS tries"
                     + " FROM tasks WHERE job_id = '" + job + "' AND state = 'completed'")) {
            rows.next();
            assertEquals(images, rows.getInt("n"));
            assertEquals(0, rows.getInt("failed_tries"), "no attempt failed: a takeover is not a failure");
            // attempts count the comparison tries (matting_done resets them): a try cut short by a kill counts
            assertTrue(rows.getInt("tries") <= 2, "at most one interrupted comparison try: " + rows.getInt("tries"));
        }
        assertEquals(0, cluster.deadLetters(), "nothing dead-lettered");
    }
}
