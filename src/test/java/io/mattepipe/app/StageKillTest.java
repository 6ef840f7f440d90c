package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at the boundaries of the stages a job goes through (the matting stage is
 * {@link CrashRecoveryTest}'s, the outbox zip {@link ResourceEdgesTest}'s): after a restart nothing
 * is lost, nothing is done twice, and nothing half-written is left.
 */
class StageKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** Killed while an upload's body streams in: no job, and its bytes are gone after the restart. */
    @Test
    void killedDuringAnUploadLeavesNoJobAndNoBytes() throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        ChildApp first = ChildApp.start(data, "256m", log);
        try (Socket socket = new Socket("localhost", first.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload?filename=cut.zip HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[300_000]);
            out.flush();
            awaitFile(data.resolve("uploads"), p -> p.toString().endsWith("cut.zip"));
            first.kill();
        } finally {
            first.kill();
        }
        try (ChildApp second = ChildApp.start(data, "256m", log)) {
            assertEquals(0, second.getJson("/jobs").get("jobs").size());
            try (Stream<Path> left = Files.walk(data.resolve("uploads"))) {
                assertEquals(1, left.count(), "only the empty uploads folder is left");
            }
        }
    }

    /** Killed while the archive is split (a one-slot matting queue holds the split open). */
    @Test
    void killedDuringTheSplitFinishesWithEveryImageOnce() throws Exception {
        killAndFinish(Map.of("matting.queue-size", "1", "matting.workers", "1"), 24, 200,
                status -> "splitting".equals(status.get("state").asText()) && status.get("total").asInt() > 2);
    }

    /** Killed while tasks are between matting and comparison, or being compared (big panels slow it down). */
    @Test
    void killedDuringComparisonFinishesWithEveryImageOnce() throws Exception {
        killAndFinish(Map.of("compare.panel-width", "2400"), 16, 600, status -> {
            JsonNode counts = status.get("counts");
            return counts.path("comparing").asInt() + counts.path("dispatched_comparison").asInt()
                    + counts.path("matting_done").asInt() > 0 && status.get("completed").asInt() >= 1;
        });
    }

    private void killAndFinish(Map<String, String> settings, int images, int size, Predicate<JsonNode> killWhen) throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            entries.put(String.format("img%02d.png", i), TestArchives.image("png", size, size * 3 / 4));
        }
        Path upload = root.resolve("many.zip");
        TestArchives.zip(upload, entries);
        String job;
        ChildApp first = ChildApp.start(data, "512m", log, settings, List.of());
        try {
            HttpResponse<String> accepted = first.http.send(HttpRequest.newBuilder(first.uri("/upload?filename=many.zip"))
                    .POST(HttpRequest.BodyPublishers.ofFile(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            job = JSON.readTree(accepted.body()).get("job_id").asText();
            JsonNode atKill = first.awaitStatus(job, killWhen, Duration.ofSeconds(90));
            first.kill();
            assertTrue(atKill.get("completed").asInt() < images, "killed too late to test anything: " + atKill);
        } finally {
            first.kill();
        }
        try (ChildApp second = ChildApp.start(data, "512m", log, settings, List.of())) {
            JsonNode done = second.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(180));
            assertEquals("completed", done.get("state").asText(), done.toString());
            assertEquals(images, done.get("completed").asInt(), done.toString());
            HttpResponse<byte[]> zip = second.http.send(HttpRequest.newBuilder(second.uri("/download/" + job)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<String, byte[]> results = TestArchives.unzip(zip.body()); // fails on a duplicate entry
            assertEquals(2 * images + 3, results.size(), results.keySet().toString());
        }
        try (Stream<Path> chunks = Files.list(data.resolve("input").resolve(job).resolve("chunks"))) {
            assertEquals(images, chunks.count(), "each image split once, no part file left");
        }
    }

    private static void awaitFile(Path dir, Predicate<Path> which) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    if (files.anyMatch(p -> which.test(p) && sizeOf(p) > 0)) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no file in " + dir);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException gone) {
            return 0;
        }
    }
}
