package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retry and cancel, pressed in the middle of a job: two images held inside the model step, the rest
 * queued. The number of model runs shows what each did (before, Retry re-queued the whole job and
 * ran images twice; Cancel hung 30 s and failed).
 */
class RetryAndCancelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IMAGES = 8;

    @TempDir
    Path root;

    private RunningApp app;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch inModel = new CountDownLatch(2);
    /** Model-step runs per image name. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private volatile boolean failFirstImage;
    private volatile boolean holdFirstImage;

    @AfterEach
    void stop() {
        release.countDown();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void retryMidJobSendsOnlyTheRetryableFailedTaskAndRunsNoImageTwice() throws Exception {
        failFirstImage = true;
        start();
        NotifyBuilder failed = new NotifyBuilder(app.context()).wereSentTo("direct:taskPermanentlyFailed").whenDone(2).create();
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = upload(true);
        // img00 failed its three tries, notes.png is not an image; two images are inside the model
        assertTrue(failed.matches(30, TimeUnit.SECONDS), "the two failures did not happen");
        assertEquals(3, runsOf("img00.png"));

        failFirstImage = false;
        JsonNode retried = JSON.readTree(app.post("/jobs/" + job + "/retry").body());
        assertEquals(1, retried.get("retried").asInt(), retried.toString());
        release.countDown();
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "the job did not finish");

        // img00: three failed tries and the retry; notes.png: its one decode; every other image once
        assertEquals(4, runsOf("img00.png"));
        assertEquals(1, runsOf("notes.png"));
        assertEquals(3 + 1 + 1 + (IMAGES - 1), totalRuns(), runs.toString());
        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed_with_errors", status.get("state").asText(), status.toString());
        assertEquals(IMAGES, status.get("completed").asInt(), status.toString());
        Map<String, JsonNode> tasks = tasks(job);
        assertEquals("completed", tasks.get("img00.png").get("state").asText());
        assertEquals("permanently_failed", tasks.get("notes.png").get("state").asText());
        assertFalse(tasks.get("notes.png").get("retryable").asBoolean(), "a file that is not an image is not retryable");

        JsonNode again = JSON.readTree(app.post("/jobs/" + job + "/retry").body());
        assertEquals(0, again.get("retried").asInt(), "retry resent what cannot succeed: " + again);
    }

    @Test
    void cancelMidJobAnswersAtOnceAndNoQueuedImageReachesTheModel() throws Exception {
        holdFirstImage = true;
        start();
        // the split ends by reporting progress; every task is held before it could
        NotifyBuilder split = new NotifyBuilder(app.context()).wereSentTo("direct:jobProgressed").whenDone(1).create();
        NotifyBuilder drained = new NotifyBuilder(app.context()).fromRoute("matting").whenDone(IMAGES).create();
        String job = upload(false);
        assertTrue(split.matches(30, TimeUnit.SECONDS), "the split did not finish");
        assertTrue(inModel.await(30, TimeUnit.SECONDS), "two images never reached the model");

        long start = System.nanoTime();
        HttpResponse<String> cancelled = app.post("/jobs/" + job + "/cancel");
        System.out.printf("cancel answered %d in %d ms with two runs still inside the model%n",
                cancelled.statusCode(), (System.nanoTime() - start) / 1_000_000);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals(1, release.getCount(), "the answer waited for the runs in the model");
        JsonNode status = JSON.readTree(cancelled.body());
        assertEquals("cancelled", status.get("state").asText(), status.toString());
        assertEquals(IMAGES, status.get("counts").get("cancelled").asInt(), status.toString());

        release.countDown();
        assertTrue(drained.matches(30, TimeUnit.SECONDS), "the queued messages were not drained");
        assertEquals(2, totalRuns(), "queued images ran after the cancel: " + runs);
        for (JsonNode task : tasks(job).values()) {
            assertEquals("cancelled", task.get("state").asText(), task.toString());
            assertFalse(task.get("retryable").asBoolean());
        }
        assertEquals(200, app.post("/jobs/" + job + "/cancel").statusCode(), "cancelling a cancelled job again changes nothing");
    }

    private void start() throws Exception {
        app = RunningApp.start(root.resolve("data"), Map.of("matting.workers", "2", "inbox.enabled", "false"));
        AdviceWith.adviceWith(app.context(), "matting-attempt", route -> route.weaveById("matting-model").before()
                .process(exchange -> {
                    String name = exchange.getMessage().getBody(Map.class).get("name").toString();
                    runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                    if (name.equals("img00.png") && failFirstImage) {
                        throw new IOException("GPU fell off the bus");
                    }
                    if (!name.equals("notes.png") && (holdFirstImage || !name.equals("img00.png"))) {
                        inModel.countDown();
                        release.await();
                    }
                }));
    }

    /** IMAGES small PNGs, before them with {@code withNonImage} a text file named notes.png. */
    private String upload(boolean withNonImage) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (withNonImage) {
            // first, so that it reaches a consumer before the held images take both
            entries.put("notes.png", "not a picture".getBytes(StandardCharsets.UTF_8));
        }
        entries.putAll(TestArchives.numberedImages(IMAGES, 40, 30));
        if (withNonImage) {
            entries.put("notes.png", "not a picture".getBytes(StandardCharsets.UTF_8));
        }
        Path zip = root.resolve("job.zip");
        TestArchives.zip(zip, entries);
        return app.upload(zip, "job.zip");
    }

    private Map<String, JsonNode> tasks(String job) throws Exception {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode task : JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks")) {
            byName.put(task.get("name").asText(), task);
        }
        return byName;
    }

    private int runsOf(String name) {
        return runs.getOrDefault(name, new AtomicInteger()).get();
    }

    private int totalRuns() {
        return runs.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
