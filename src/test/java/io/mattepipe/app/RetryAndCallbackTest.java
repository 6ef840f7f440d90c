package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Camel's redelivery does the retries; SQLite records every attempt; the last one calls back. */
class RetryAndCallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private RunningApp app;
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aTaskThatFailsTwiceThenSucceedsIsCompletedWithTwoRetries() throws Exception {
        app = RunningApp.start(root.resolve("data"), Map.of());
        AtomicInteger calls = new AtomicInteger();
        failMattingWhile(() -> calls.incrementAndGet() <= 2);

        JsonNode task = runOneImage(null);
        assertEquals("completed", task.get("state").asText());
        assertEquals(2, task.get("retry_count").asInt());
        assertEquals(3, calls.get());
    }

    @Test
    void aTaskThatAlwaysFailsIsPermanentlyFailedAfterThreeTriesAndTheCallbackIsTold() throws Exception {
        BlockingQueue<String> notices = new LinkedBlockingQueue<>();
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/hook", exchange -> {
            notices.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        // the receiver is on loopback, which callbacks may reach only when allowed
        app = RunningApp.start(root.resolve("data"), Map.of("callback.allow-private", "true"));
        AtomicInteger calls = new AtomicInteger();
        failMattingWhile(() -> calls.incrementAndGet() > 0);

        String hook = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
        JsonNode task = runOneImage(hook);
        assertEquals("permanently_failed", task.get("state").asText());
        assertEquals(3, task.get("retry_count").asInt());
        assertEquals(3, calls.get());
        assertTrue(task.get("error").asText().contains("GPU fell off the bus"), task.toString());

        String notice = notices.poll(20, TimeUnit.SECONDS);
        assertNotNull(notice, "no callback");
        JsonNode body = JSON.readTree(notice);
        assertEquals("task_permanently_failed", body.get("event").asText());
        assertEquals(task.get("task_id").asText(), body.get("task_id").asText());
        assertTrue(body.get("error").asText().contains("GPU fell off the bus"));
    }

    /** Makes the model step throw a retryable error while {@code condition} holds. */
    private void failMattingWhile(java.util.function.BooleanSupplier condition) throws Exception {
        AdviceWith.adviceWith(app.context(), "matting-attempt", route -> route.weaveById("matting-model").before()
                .process(exchange -> {
                    if (condition.getAsBoolean()) {
                        throw new IOException("GPU fell off the bus");
                    }
                }));
    }

    private JsonNode runOneImage(String callbackUrl) throws Exception {
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String query = callbackUrl == null ? "" : "&callback_url=" + callbackUrl;
        HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=cat.png" + query))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 40, 30))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String job = JSON.readTree(accepted.body()).get("job_id").asText();
        assertTrue(finished.matches(30, TimeUnit.SECONDS), "job did not finish");
        JsonNode tasks = JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks");
        assertEquals(1, tasks.size());
        return tasks.get(0);
    }
}
