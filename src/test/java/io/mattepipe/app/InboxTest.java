package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inbox takes a dropped archive once, and only once it is complete. */
class InboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    @Test
    void aZipCopiedInSlowlyIsTakenOnceAndComplete() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            entries.put("shot" + i + ".png", TestArchives.image("png", 120, 90));
        }
        Path made = root.resolve("made.zip");
        TestArchives.zip(made, entries);
        byte[] zip = Files.readAllBytes(made);

        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        // a slow copy: four pieces, each after a pause longer than the inbox's poll interval
        Files.createDirectories(data.resolve("inbox"));
        try (OutputStream out = Files.newOutputStream(data.resolve("inbox").resolve("holiday.zip"))) {
            int piece = zip.length / 4 + 1;
            for (int from = 0; from < zip.length; from += piece) {
                out.write(Arrays.copyOfRange(zip, from, Math.min(zip.length, from + piece)));
                out.flush();
                Thread.sleep(500);
            }
        }
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "no job finished");

        JsonNode jobs = JSON.readTree(app.get("/jobs").body()).get("jobs");
        assertEquals(1, jobs.size(), jobs.toString());
        assertEquals("completed", jobs.get(0).get("state").asText(), jobs.toString());
        assertEquals(6, jobs.get(0).get("completed").asInt());
        assertTrue(Files.notExists(data.resolve("inbox").resolve("holiday.zip")), "moved out of the inbox");
        try (Stream<Path> outbox = Files.list(data.resolve("outbox"))) {
            Path results = outbox.findFirst().orElseThrow();
            assertTrue(results.getFileName().toString().startsWith("holiday-"), results.toString());
            assertEquals(6 * 2 + 3, TestArchives.unzip(Files.readAllBytes(results)).size());
        }
    }

    @Test
    void aFolderIsTakenWhenAnEmptyReadyAppearsAndNeitherMarkerBecomesATask() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of());
        Path folder = Files.createDirectories(data.resolve("inbox").resolve("shoot"));
        for (int i = 0; i < 3; i++) {
            Files.write(folder.resolve("p" + i + ".png"), TestArchives.image("png", 40, 30));
        }
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Files.createFile(folder.resolve("READY"));
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "an empty READY was never noticed");

        JsonNode job = JSON.readTree(app.get("/jobs").body()).get("jobs").get(0);
        assertEquals("completed", job.get("state").asText(), job.toString());
        assertEquals(3, job.get("total").asInt(), "READY and lock files are no tasks: " + job);
        assertTrue(Files.notExists(folder), "moved out of the inbox");
    }

    @Test
    void theSameArchiveDroppedAgainIsTakenAgainAsANewJob() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of());
        Path made = root.resolve("made.zip");
        TestArchives.zip(made, Map.of("a.png", TestArchives.image("png", 40, 30)));
        Files.createDirectories(data.resolve("inbox"));
        for (int drop = 1; drop <= 2; drop++) {
            NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
            Path dropped = data.resolve("inbox").resolve("again.zip");
            Files.copy(made, dropped);
            // same name, size and time as the first drop
            Files.setLastModifiedTime(dropped, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
            assertTrue(finished.matches(60, TimeUnit.SECONDS), "drop " + drop + " was not taken");
        }
        JsonNode jobs = JSON.readTree(app.get("/jobs").body()).get("jobs");
        assertEquals(2, jobs.size(), jobs.toString());
        jobs.forEach(job -> assertEquals("completed", job.get("state").asText(), job.toString()));
    }

    /** A drop the inbox took just before a stop: after the restart it is one job, finished, nothing lost or doubled. */
    @Test
    void aDropTakenAsTheServiceStopsIsFinishedOnceAfterTheRestart() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            entries.put("s" + i + ".png", TestArchives.image("png", 300, 200));
        }
        Path made = root.resolve("made.zip");
        TestArchives.zip(made, entries);
        NotifyBuilder taken = new NotifyBuilder(app.context()).from("file:*").whenDone(1).create();
        Files.createDirectories(data.resolve("inbox"));
        Files.copy(made, data.resolve("inbox").resolve("late.zip"));
        assertTrue(taken.matches(60, TimeUnit.SECONDS), "the drop was not taken");
        app.close();

        app = apps.start(data, Map.of());
        JsonNode jobs = JSON.readTree(app.get("/jobs").body()).get("jobs");
        assertEquals(1, jobs.size(), jobs.toString());
        String job = jobs.get(0).get("job_id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        while (!status.get("state").asText().startsWith("completed") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = JSON.readTree(app.get("/status/" + job).body());
        }
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertEquals(8, status.get("completed").asInt(), status.toString());
        assertEquals(1, JSON.readTree(app.get("/jobs").body()).get("jobs").size());
        assertTrue(Files.notExists(data.resolve("inbox").resolve("late.zip")));
    }

    /**
     * A crash as a folder was taken, between its job row and the end of its intake, built here as
     * the crash leaves it: the row {@code receiving}, the folder still in the inbox, or already moved
     * into the job with its READY (the move is atomic). After the restart it is exactly one job,
     * every image done once ({@link StageKillTest} kills a real process at this moment).
     */
    @ParameterizedTest(name = "moved into its job before the crash: {0}")
    @ValueSource(booleans = {false, true})
    void aCrashAsAFolderIsTakenLeavesExactlyOneJobAfterTheRestart(boolean moved) throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of("inbox.enabled", "false"));
        Map<String, Object> row = app.context().getRegistry().lookupByNameAndType("jobIntake", JobIntake.class)
                .newJob("inbox", "shoot", null, null, null, null, null);
        String crashed = row.get("jobId").toString();
        app.context().createProducerTemplate().sendBodyAndHeader("sql:classpath:sql/job-insert.sql?noop=true", row, "jobId", crashed);
        app.close();
        Path folder = Files.createDirectories(moved ? new DataLayout(data).raw(crashed).resolve("shoot")
                : data.resolve("inbox").resolve("shoot"));
        for (int i = 0; i < 4; i++) {
            Files.write(folder.resolve("p" + i + ".png"), TestArchives.image("png", 40, 30));
        }
        Files.createFile(folder.resolve("READY"));

        app = apps.start(data, Map.of());
        JsonNode status = awaitOneJobDone();
        assertEquals("completed", status.path("state").asText(), status.toString());
        assertEquals(4, status.get("completed").asInt(), "READY is no task, and no image is lost: " + status);
        assertEquals(moved, crashed.equals(status.get("job_id").asText()), "the crashed row goes on only when it holds the drop");
        assertTrue(Files.notExists(data.resolve("inbox").resolve("shoot")), "taken from the inbox");
    }

    /** The one job of the data folder, polled (it may finish before a NotifyBuilder exists) until it is done. */
    private JsonNode awaitOneJobDone() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            JsonNode jobs = JSON.readTree(app.get("/jobs").body()).get("jobs");
            assertTrue(jobs.size() <= 1, "one drop became more jobs: " + jobs);
            if (jobs.size() == 1) {
                // the crashed row may be listed just before recovery forgets it: then it has no status
                JsonNode status = JSON.readTree(app.get("/status/" + jobs.get(0).get("job_id").asText()).body());
                if (status.path("state").asText().startsWith("completed") || System.nanoTime() > deadline) {
                    assertEquals(1, JSON.readTree(app.get("/jobs").body()).get("jobs").size());
                    return status;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no job after the restart");
            Thread.sleep(100);
        }
    }
}
