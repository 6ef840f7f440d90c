package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQLite is the source of truth: a kill -9 mid-job, a restart, and every image is done exactly once. */
class CrashRecoveryTest {

    private static final int IMAGES = 40;

    @TempDir
    Path root;

    @Test
    void aJobKilledMidwayFinishesAfterARestartWithEveryImageOnce() throws Exception {
        Path data = root.resolve("data");
        Path upload = root.resolve("many.zip");
        TestArchives.zip(upload, TestArchives.numberedImages(IMAGES, 400, 300));
        Path log = root.resolve("app.log");

        String job;
        ChildApp first = ChildApp.start(data, "512m", log);
        try {
            HttpResponse<String> accepted = first.http.send(HttpRequest.newBuilder(first.uri("/upload?filename=many.zip"))
                    .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
            JsonNode midway = first.awaitStatus(job, s -> s.get("completed").asInt() >= 3, Duration.ofSeconds(60));
            first.kill();
            assertTrue(midway.get("completed").asInt() < IMAGES, "the kill came too late to test anything: " + midway);
        } finally {
            first.kill();
        }

        try (ChildApp second = ChildApp.start(data, "512m", log)) {
            JsonNode done = second.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(120));
            assertEquals("completed", done.get("state").asText(), done.toString());
            assertEquals(IMAGES, done.get("completed").asInt());
            HttpResponse<byte[]> zip = second.http.send(HttpRequest.newBuilder(second.uri("/download/" + job)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<String, byte[]> results = TestArchives.unzip(zip.body()); // fails on a duplicate entry
            assertEquals(2 * IMAGES + 3, results.size(), results.keySet().toString());
            for (int i = 0; i < IMAGES; i++) {
                assertTrue(results.containsKey(String.format("img%02d.png", i)));
                assertTrue(results.containsKey(String.format("img%02d_compare.jpg", i)));
            }
        }
        try (Stream<Path> chunks = Files.list(data.resolve("input").resolve(job).resolve("chunks"))) {
            assertEquals(IMAGES, chunks.count(), "each image split once");
        }
    }
}
