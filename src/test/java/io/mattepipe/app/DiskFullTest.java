package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A disk that fills up, for real: a small tmpfs of the test's own (mounting needs root, as CI has;
 * elsewhere the test is skipped with the reason), filled to its last page just before each write
 * the pipeline makes, one write per test: a chunk of the split, a cutout, a panel, the reports, the
 * outbox zip, a thumbnail, and the SQLite file (SQLITE_FULL). The disk holds only what the test
 * fills (the data folder, the outbox, or the database), so that exactly one kind of write meets it. Each asserts: what the full disk hit fails
 * with a reason that says so, the job reaches a terminal state (for the database: as soon as it can
 * be written again), and once the space is back the service resumes: a retry (or the sweep) ends
 * the job with every image done.
 */
class DiskFullTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IMAGES = 4;

    @TempDir
    Path root;

    private Path disk;
    private boolean mounted;
    private RunningApp app;

    @AfterEach
    void unmount() throws Exception {
        if (app != null) {
            app.close();
        }
        if (mounted) {
            // lazy: the file system goes once the last file the stopped application held is closed
            assertEquals(null, run("umount", "--lazy", disk.toString()), "the small disk stays mounted");
        }
    }

    @Test
    void aChunkOfTheSplit() throws Exception {
        startOnTheSmallDisk(Map.of("inbox.enabled", "false"));
        // the first image's task row is being written: the next image's chunk meets the full disk
        fillOnceBefore("split", route -> route.weaveByToUri("sql:classpath:sql/task-insert.sql*").before());
        String job = upload(IMAGES);
        JsonNode status = awaitFinished(job);
        assertEquals("completed_with_errors", status.get("state").asText(), status.toString());
        assertTrue(status.get("error").asText().startsWith("the disk is full"), "the split says why it stopped: " + status);
        assertFalse(status.get("error").asText().contains(disk.toString()), "a server path in the error: " + status);
        assertEquals(1, status.get("total").asInt(), "only the first image was split: " + status);
        retryWithSpaceAndExpectEveryImageDone(job);
    }

    @Test
    void aCutout() throws Exception {
        aTaskWrite("matting-attempt", "matting-model");
    }

    @Test
    void aPanel() throws Exception {
        aTaskWrite("compare-attempt", "compare-figures");
    }

    /** The disk fills as the step {@code stepId} of {@code routeId} is about to write a task's file. */
    private void aTaskWrite(String routeId, String stepId) throws Exception {
        startOnTheSmallDisk(Map.of("inbox.enabled", "false"));
        fillOnceBefore(routeId, route -> route.weaveById(stepId).before());
        String job = upload(IMAGES);
        assertTasksFailedForTheFullDisk(awaitFinished(job), job);
        retryWithSpaceAndExpectEveryImageDone(job);
    }

    /** The reports: the job is done without them, and a request for them once there is space writes them. */
    @Test
    void theReports() throws Exception {
        startOnTheSmallDisk(Map.of("inbox.enabled", "false"));
        fillOnceBefore("job-finished", AdviceWithRouteBuilder::weaveAddFirst);
        String job = upload(IMAGES);
        JsonNode status = awaitFinished(job);
        assertEquals("completed", status.get("state").asText(), "the images were done before the disk filled: " + status);
        HttpResponse<String> full = app.get("/jobs/" + job + "/report?format=json");
        assertEquals(507, full.statusCode(), full.body());
        assertEquals("5", full.headers().firstValue("Retry-After").orElse(null));
        Files.delete(disk.resolve("filler"));
        HttpResponse<String> report = app.get("/jobs/" + job + "/report?format=json");
        assertEquals(200, report.statusCode(), report.body());
        assertEquals(IMAGES, JSON.readTree(report.body()).findValues("task_id").size(), report.body());
    }

    /**
     * The outbox zip of an inbox job, on a small disk of its own (the reports beside the job are
     * written): the job is done, the zip leaves no {@code .part} holding the space, and the sweep
     * makes it once there is space.
     */
    @Test
    void theOutboxZip() throws Exception {
        Path data = root.resolve("data");
        mountASmallDiskAt(data.resolve("outbox"));
        app = RunningApp.start(data, Map.of());
        fillOnceBefore("job-finished", AdviceWithRouteBuilder::weaveAddFirst);
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Path made = root.resolve("drop.zip");
        TestArchives.zip(made, images(IMAGES));
        Files.createDirectories(data.resolve("inbox"));
        Files.copy(made, data.resolve("inbox").resolve("drop.zip"));
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "the job never finished");
        String job = JSON.readTree(app.get("/jobs").body()).get("jobs").get(0).get("job_id").asText();
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed", status.get("state").asText(), "the images were done before the disk filled: " + status);
        assertEquals(200, app.get("/jobs/" + job + "/report").statusCode(), "the reports are on another disk");
        try (Stream<Path> files = Files.list(disk)) {
            assertEquals(java.util.List.of("filler"), files.map(p -> p.getFileName().toString()).toList(),
                    "no zip, and no .part holding on to the space");
        }

        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            disk.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Files.delete(disk.resolve("filler"));
            String zip = StageKillTest.awaitEvent(watch, disk, name -> name.endsWith("-results.zip"), Duration.ofSeconds(60));
            assertEquals(2 * IMAGES + 3, TestArchives.unzip(Files.readAllBytes(disk.resolve(zip))).size());
        }
    }

    @Test
    void aThumbnail() throws Exception {
        startOnTheSmallDisk(Map.of("inbox.enabled", "false"));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = upload(IMAGES);
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "the job never finished");
        String task = JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks").get(0).get("task_id").asText();
        fill();
        HttpResponse<String> full = app.get("/jobs/" + job + "/tasks/" + task + "/thumb");
        assertEquals(507, full.statusCode(), full.body());
        assertEquals("5", full.headers().firstValue("Retry-After").orElse(null));
        assertTrue(full.body().contains("disk is full"), full.body());
        Files.delete(disk.resolve("filler"));
        HttpResponse<byte[]> thumb = app.http.send(HttpRequest.newBuilder(app.uri("/jobs/" + job + "/tasks/" + task + "/thumb")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
        assertEquals("image/jpeg", thumb.headers().firstValue("Content-Type").orElse(null));
    }

    /**
     * SQLITE_FULL: the database's own disk fills as a task's state is written. No state can be
     * written, so the job cannot end meanwhile; once there is space the stall sweep takes the task
     * up again and the job completes, every image done, with no retry needed.
     */
    @Test
    void theDatabase() throws Exception {
        mountASmallDiskAt(root.resolve("db"));
        app = RunningApp.start(root.resolve("data"), Map.of("db.url", "jdbc:sqlite:" + disk.resolve("tasks.db"),
                "inbox.enabled", "false"));
        fillOnceBefore("matting", route -> route.weaveByToUri("sql:classpath:sql/task-matting-done.sql*").before());
        CountDownLatch deadLettered = new CountDownLatch(1);
        AdviceWith.adviceWith(app.context(), "task-permanently-failed", route -> route.weaveAddFirst().process(e -> deadLettered.countDown()));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = upload(IMAGES);
        assertTrue(deadLettered.await(60, TimeUnit.SECONDS), "no task met the full database");
        JsonNode during = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("running", during.get("state").asText(), "nothing could be recorded: " + during);

        Files.delete(disk.resolve("filler"));
        assertTrue(finished.matches(90, TimeUnit.SECONDS), "the job did not resume once the database had space: "
                + app.get("/jobs/" + job + "/tasks").body());
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertEquals(IMAGES, status.get("completed").asInt(), status.toString());
    }

    /** The application with its data folder on the small disk, its database elsewhere. */
    private void startOnTheSmallDisk(Map<String, String> extra) throws Exception {
        mountASmallDiskAt(root.resolve("data"));
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("db.url", "jdbc:sqlite:" + Files.createDirectories(root.resolve("db")).resolve("tasks.db"));
        app = RunningApp.start(disk, settings);
    }

    /** Mounts a 24 MB tmpfs at {@code where}: the test is skipped, with the reason, where this may not. */
    private void mountASmallDiskAt(Path where) throws Exception {
        disk = Files.createDirectories(where);
        String refused = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString());
        mounted = refused == null;
        assumeTrue(mounted, "DiskFullTest needs root to mount a small tmpfs (CI runs as root): " + refused);
    }

    /** Fills the small disk the first time the advised point of {@code routeId} is reached. */
    private void fillOnceBefore(String routeId, Function<AdviceWithRouteBuilder, ProcessorDefinition<?>> where) throws Exception {
        AtomicBoolean armed = new AtomicBoolean(true);
        AdviceWith.adviceWith(app.context(), routeId, route -> where.apply(route).process(exchange -> {
            if (armed.getAndSet(false)) {
                fill();
            }
        }));
    }

    /** Writes a filler file until the disk refuses another page. */
    private void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(disk.resolve("filler"), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int block : new int[] {1 << 20, 4096}) {
                try {
                    while (true) {
                        out.write(new byte[block]);
                        out.flush();
                    }
                } catch (IOException full) {
                    if (!DiskSpace.isFull(full)) {
                        throw full;
                    }
                }
            }
        }
    }

    private JsonNode awaitFinished(String job) throws Exception {
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        if (!JSON.readTree(app.get("/status/" + job).body()).get("state").asText().startsWith("completed")) {
            assertTrue(finished.matches(60, TimeUnit.SECONDS), "the job never ended while the disk was full: "
                    + app.get("/status/" + job).body());
        }
        return JSON.readTree(app.get("/status/" + job).body());
    }

    private void assertTasksFailedForTheFullDisk(JsonNode status, String job) throws Exception {
        assertEquals("completed_with_errors", status.get("state").asText(), status.toString());
        for (JsonNode task : JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks")) {
            if (!"completed".equals(task.get("state").asText())) {
                assertEquals("permanently_failed", task.get("state").asText(), task.toString());
                assertTrue(task.get("error").asText().startsWith("the disk is full"), task.toString());
            }
        }
        assertTrue(status.get("failed").asInt() > 0, "the full disk failed no task: " + status);
    }

    private void retryWithSpaceAndExpectEveryImageDone(String job) throws Exception {
        Files.delete(disk.resolve("filler"));
        NotifyBuilder again = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        HttpResponse<String> retried = app.post("/jobs/" + job + "/retry");
        assertEquals(200, retried.statusCode(), retried.body());
        assertTrue(again.matches(60, TimeUnit.SECONDS), "the retried job never ended: " + app.get("/status/" + job).body());
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertEquals(IMAGES, status.get("completed").asInt(), "every image done once there was space: " + status);
        assertEquals(IMAGES, status.get("total").asInt(), status.toString());
    }

    private String upload(int images) throws Exception {
        Path zip = root.resolve("upload.zip");
        TestArchives.zip(zip, images(images));
        return app.upload(zip, "photos.zip");
    }

    private static Map<String, byte[]> images(int count) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("img" + i + ".png", TestArchives.image("png", 200, 150));
        }
        return entries;
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return process.waitFor() == 0 ? null : String.join(" ", command) + ": exit " + process.exitValue() + " " + said;
    }
}
