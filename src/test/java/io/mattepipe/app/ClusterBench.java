package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.state.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cluster-mode throughput for BENCHMARKS.md, not a test: {@code mvn test -Dtest=ClusterBench
 * -Dbench.cluster=TASKS}. A gateway and one, then two, worker JVMs on the embedded broker and the
 * test PostgreSQL; TASKS generated 64×64 PNGs through the tiny 64×64 model, so that what is measured
 * is the orchestration (broker, database, files), as in {@code bench --orchestration}. Prints one
 * line per run: tasks/s from the job's creation to its recorded finish.
 */
@EnabledIfSystemProperty(named = "bench.cluster", matches = "\\d+")
class ClusterBench {

    @TempDir
    Path root;

    @Test
    void tasksPerSecondWithOneAndTwoWorkers() throws Exception {
        int tasks = Integer.parseInt(System.getProperty("bench.cluster"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < tasks; i++) {
            entries.put(String.format("img%06d.png", i), TestArchives.image("png", 64, 64));
        }
        Path upload = root.resolve("bench.zip");
        TestArchives.zip(upload, entries);
        for (int workers : new int[] {1, 2}) {
            System.out.printf("cluster bench: %d tasks, %d worker JVM(s): %.1f tasks/s%n", tasks, workers,
                    run(upload, tasks, workers, root.resolve("run" + workers)));
        }
    }

    private double run(Path upload, int tasks, int workers, Path dir) throws Exception {
        String database = TestPostgres.newDatabase();
        List<ChildApp> nodes = new ArrayList<>();
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"))) {
            Map<String, String> settings = new HashMap<>();
            settings.put("db.url", database);
            settings.put("db.user", TestPostgres.user());
            settings.put("broker.url", broker.url);
            settings.put("matting.model", Path.of("src/test/resources/models/tiny-matting-64.onnx").toAbsolutePath().toString());
            settings.put("compare.panel-width", "192");
            settings.put("matting.workers", "2");
            settings.put("compare.workers", "2");
            Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
            settings.put("node.role", "gateway");
            ChildApp gateway = ChildApp.start(dir.resolve("data"), "512m", logs.resolve("bench-gateway.log"), settings,
                    List.of("--profile", "cluster"));
            nodes.add(gateway);
            settings.put("node.role", "worker");
            for (int i = 0; i < workers; i++) {
                nodes.add(ChildApp.start(dir.resolve("data"), "512m", logs.resolve("bench-worker" + i + ".log"), settings,
                        List.of("--profile", "cluster")));
            }
            HttpResponse<String> accepted = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/upload?filename=bench.zip"))
                    .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
            JsonNode done = gateway.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofMinutes(30));
            assertEquals(tasks, done.get("completed").asInt(), done.toString());
            Duration took = Duration.between(Instant.parse(done.get("created_at").asText()), Instant.parse(done.get("finished_at").asText()));
            return tasks / (took.toMillis() / 1000.0);
        } finally {
            for (ChildApp node : nodes) {
                node.kill();
            }
        }
    }
}
