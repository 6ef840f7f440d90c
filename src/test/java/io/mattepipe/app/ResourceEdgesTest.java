package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edges of resources: a full disk, a database locked by someone else, files a crash cut short. */
class ResourceEdgesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    /**
     * A disk that fills while a job runs (simulated: every cutout write fails with ENOSPC) fails the
     * tasks it hits with a reason that says so, the job still ends; once there is space, a retry
     * completes them and new work goes through.
     */
    @Test
    void aFullDiskFailsTheTasksItHitsClearlyTheJobEndsAndWorkResumesWithSpace() throws Exception {
        app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        AtomicBoolean full = new AtomicBoolean(true);
        AdviceWith.adviceWith(app.context(), "matting-attempt", route -> route.weaveById("matting-model").before()
                .process(exchange -> {
                    if (full.get()) {
                        throw new FileSystemException("cutout.png", null, "No space left on device");
                    }
                }));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = upload(3);
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "the job never ended while the disk was full");
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed_with_errors", status.get("state").asText(), status.toString());
        for (JsonNode task : JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks")) {
            assertEquals("permanently_failed", task.get("state").asText());
            assertTrue(task.get("error").asText().startsWith("the disk is full"), task.toString());
        }

        full.set(false);
        NotifyBuilder again = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        HttpResponse<String> retried = app.post("/jobs/" + job + "/retry");
        assertEquals(200, retried.statusCode(), retried.body());
        assertTrue(again.matches(60, TimeUnit.SECONDS), "the retried job never ended");
        assertEquals("completed", JSON.readTree(app.get("/status/" + job).body()).get("state").asText());
    }

    /**
     * The SQLite file locked by another process (a JVM of its own holding {@code BEGIN EXCLUSIVE})
     * past the application's busy timeout while a job runs: state changes fail for a while, an
     * upload meanwhile answers 503 with Retry-After (not 500, and no job), and once the lock is gone
     * every task completes: none is left failed, no job stays running.
     */
    @Test
    void aDatabaseLockedByAnotherProcessPastItsBusyTimeoutDelaysTheJobButNeverStrandsIt() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of("inbox.enabled", "false"));
        NotifyBuilder oneDone = new NotifyBuilder(app.context()).from("seda:compare*").whenDone(1).create();
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = upload(8);
        assertTrue(oneDone.matches(60, TimeUnit.SECONDS), "no task finished before the lock");

        HttpResponse<String> refused;
        try (SqliteLockHolder lock = SqliteLockHolder.start(data.resolve("tasks.db"))) {
            // answered once the application's 30 s busy timeout has passed, the lock still held
            refused = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=b.png"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 20, 20))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null), refused.headers().map().toString());
        assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("busy"), refused.body());
        assertTrue(finished.matches(180, TimeUnit.SECONDS), "the job stayed running after the lock was gone: "
                + app.get("/status/" + job).body());
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertEquals(8, status.get("completed").asInt(), "a task stayed failed because of the lock: " + status);
        JsonNode jobs = JSON.readTree(app.get("/jobs").body()).get("jobs");
        assertEquals(1, jobs.size(), "the upload refused during the lock left a job: " + jobs);
        UploadLoadTest.awaitNoStagedUploads(data);
    }

    /**
     * A crash while the outbox zip was written (simulated: the zip removed, a .part left, an upload
     * folder half-received) and a restart: the zip is made again, the partial files are gone.
     */
    @Test
    void aCrashCutOutboxZipIsMadeAgainAndPartialFilesAreRemovedAtStartUp() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of());
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Path made = root.resolve("made.zip");
        TestArchives.zip(made, Map.of("a.png", TestArchives.image("png", 30, 30), "b.png", TestArchives.image("png", 30, 30)));
        Files.createDirectories(data.resolve("inbox"));
        Files.copy(made, data.resolve("inbox").resolve("crash.zip"));
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "no job finished");
        app.close();
        app = null;

        Path zip;
        try (Stream<Path> outbox = Files.list(data.resolve("outbox"))) {
            zip = outbox.filter(p -> p.getFileName().toString().endsWith("-results.zip")).findFirst().orElseThrow();
        }
        Files.delete(zip);
        Path part = Files.writeString(data.resolve("outbox").resolve(".abc123.zip.part"), "half a zip");
        Path cutoutPart;
        try (Stream<Path> cutouts = Files.list(data.resolve("matting_output"))) {
            cutoutPart = cutouts.findFirst().orElseThrow().resolve(".000000.png.1234.part");
        }
        Files.writeString(cutoutPart, "half a png");
        Path halfUpload = Files.createDirectories(data.resolve("uploads").resolve("a-job-never-recorded"));
        Files.writeString(halfUpload.resolve("big.zip"), "half an upload");

        app = apps.start(data, Map.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(zip) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.isRegularFile(zip), "the outbox zip was not made again");
        assertEquals(2 * 2 + 3, TestArchives.unzip(Files.readAllBytes(zip)).size());
        assertFalse(Files.exists(part), "a .part left by the crash");
        assertFalse(Files.exists(cutoutPart), "a .part left by the crash");
        assertFalse(Files.exists(halfUpload), "a half-received upload left by the crash");
    }

    private String upload(int images) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            entries.put("img" + i + ".png", TestArchives.image("png", 200, 150));
        }
        Path zip = root.resolve("upload-" + System.nanoTime() + ".zip");
        TestArchives.zip(zip, entries);
        return app.upload(zip, "photos.zip");
    }
}
