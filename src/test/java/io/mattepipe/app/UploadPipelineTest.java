package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload → split → matting → comparison → results, through real HTTP, SQLite and files. */
class UploadPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    /** Batched inference (three images per model run) must not change what a job gives. */
    @ParameterizedTest(name = "matting.batch-size={0}")
    @ValueSource(ints = {1, 3})
    void goodImagesCompleteAndBadOnesFailWithReasonsInsideTheJobFolder(int batchSize) throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of("matting.workers", "2", "matting.batch-size", String.valueOf(batchSize)));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("photos/one.png", TestArchives.image("png", 64, 48));
        entries.put("photos/two.jpg", TestArchives.image("jpg", 80, 60));
        entries.put("three.png", TestArchives.image("png", 30, 30));
        entries.put("broken.jpg", TestArchives.truncatedJpeg());
        entries.put("readme.txt", "not a photo".getBytes(StandardCharsets.UTF_8));
        entries.put("../escape.png", TestArchives.image("png", 16, 16));
        Path upload = root.resolve("photos.zip");
        TestArchives.zip(upload, entries);

        // one waiting consumer per image of a batch and per run, or batches could never fill
        SedaEndpoint mattingQueue = app.context().getEndpoints().stream()
                .filter(e -> e instanceof SedaEndpoint seda && seda.getEndpointUri().startsWith("seda://matting"))
                .map(SedaEndpoint.class::cast).findFirst().orElseThrow();
        assertEquals(2 * batchSize, mattingQueue.getConcurrentConsumers());

        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = app.upload(upload, "photos.zip");
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "job did not finish");

        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed_with_errors", status.get("state").asText());
        assertEquals(6, status.get("total").asInt());
        assertEquals(3, status.get("completed").asInt());
        assertEquals(3, status.get("failed").asInt());
        assertEquals(100.0, status.get("progress").asDouble());

        JsonNode tasks = JSON.readTree(app.get("/jobs/" + job + "/tasks?status=permanently_failed").body()).get("tasks");
        Map<String, String> errors = new LinkedHashMap<>();
        tasks.forEach(t -> errors.put(t.get("name").asText(), t.get("error").asText()));
        assertTrue(errors.get("broken.jpg").startsWith("corrupt image"), errors.toString());
        assertTrue(errors.get("readme.txt").startsWith("not an image"), errors.toString());
        assertTrue(errors.values().stream().anyMatch(e -> e.contains("unsafe path")), errors.toString());

        assertEquals(Boolean.FALSE, app.context().getRoute("download").isStreamCaching(),
                "stream caching would read the whole zip into the heap before sending it");
        HttpResponse<byte[]> download = app.http.send(HttpRequest.newBuilder(app.uri("/download/" + job)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        Set<String> names = new TreeSet<>(TestArchives.unzip(download.body()).keySet());
        assertEquals(new TreeSet<>(Set.of("photos/one.png", "photos/one_compare.jpg", "photos/two.png",
                "photos/two_compare.jpg", "three.png", "three_compare.jpg",
                "report.json", "report.csv", "report.html")), names);

        // the report is served, and the panels it links resolve next to it
        HttpResponse<String> report = app.get("/jobs/" + job + "/report");
        assertEquals(200, report.statusCode());
        assertTrue(report.body().contains("photos/one"), "report lists the task");
        assertEquals("image/jpeg", app.get("/jobs/" + job + "/photos%2Fone_compare.jpg").headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, app.get("/jobs/" + job + "/tasks/000000/cutout").statusCode());
        assertEquals(404, app.get("/jobs/" + job + "/tasks/000004/cutout").statusCode());
        HttpResponse<String> unknown = app.get("/status/no-such-job");
        assertEquals(404, unknown.statusCode());
        // the reason itself, not Camel's "Failed to invoke method ... due to" around it
        assertEquals("{\"error\":\"no job no-such-job\"}", unknown.body());
        assertEquals("{\"error\":\"limit must be a number, got 'ten'\"}", app.get("/jobs?limit=ten").body());

        // operators' figures: tasks per state from SQLite, time per stage, failed attempts
        String metrics = app.get("/metrics").body();
        assertTrue(metrics.contains("mattepipe_tasks{state=\"completed\"} 3.0"), metrics);
        assertTrue(metrics.contains("mattepipe_tasks{state=\"permanently_failed\"} 3.0"), metrics);
        assertTrue(metrics.contains("mattepipe_stage_seconds_count{stage=\"inference\"} 3"), metrics);
        assertTrue(metrics.contains("mattepipe_failed_attempts_total 1.0"), metrics);
        assertTrue(metrics.contains("mattepipe_queue_depth{queue=\"matting\"} 0.0"), metrics);

        // nothing was written outside the data folder, and nothing under the unsafe name
        try (Stream<Path> all = Files.walk(root)) {
            Set<String> outside = all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(data) && !p.equals(upload))
                    .map(Path::toString).collect(Collectors.toSet());
            assertEquals(Set.of(), outside);
        }
        try (Stream<Path> all = Files.walk(data)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("escape")));
        }
    }
}
