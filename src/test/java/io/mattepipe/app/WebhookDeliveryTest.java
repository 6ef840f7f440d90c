package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mattepipe.Main;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.crypto.Mac;
import javax.sql.DataSource;
import javax.crypto.spec.SecretKeySpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's callback_url receives its events signed (X-Mattepipe-Signature: t=UNIX,v1=HEX over
 * UNIX.BODY), each called again with a growing wait until the receiver answers 2xx, also after a
 * restart; the job's status shows the attempts. The receiver checks signatures on its own, with
 * the secret a receiver is given, not with the service's code.
 */
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");
    private static final String SECRET = "whsec_test-secret";

    @TempDir
    Path root;

    private RunningApp app;
    private HttpServer server;

    /** One call the receiver got: its body, its signature header, when, and what it answered. */
    private record Call(String body, String signature, long receivedNanos, int answered) {
    }

    /** Records every call and answers what {@code answer} says for the n-th (1-based) call. */
    private final class Receiver {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final BlockingQueue<Call> received = new LinkedBlockingQueue<>();
        volatile IntUnaryOperator answer;

        Receiver(IntUnaryOperator answer) throws Exception {
            this.answer = answer;
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/hook", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status;
                synchronized (calls) {
                    status = this.answer.applyAsInt(calls.size() + 1);
                    Call call = new Call(body, exchange.getRequestHeaders().getFirst("X-Mattepipe-Signature"), System.nanoTime(), status);
                    calls.add(call);
                    received.add(call);
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/hook";
        }

        /** The next call, once it came. */
        Call next() throws InterruptedException {
            Call call = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(call, "no call came; so far " + calls);
            return call;
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aCompletedJobsSignedEventIsCalledAgainWithGrowingWaitsUntilTheReceiverAnswers2xx() throws Exception {
        Receiver receiver = new Receiver(n -> n <= 2 ? 500 : 204);
        app = RunningApp.start(root.resolve("data"), settings(Map.of("callback.secret", SECRET)));

        String job = uploadOneImage(receiver.url());
        receiver.next();
        receiver.next();
        Call delivered = receiver.next();
        assertEquals(204, delivered.answered());
        awaitOutcomeRecorded();

        assertEquals(3, receiver.calls.size(), "two failures, then the delivery");
        for (Call call : receiver.calls) {
            assertTrue(signedBy(SECRET, call), "a call whose signature does not check: " + call);
            assertEquals(delivered.body(), call.body(), "every attempt sends the same event");
        }
        assertFalse(signedBy("another secret", delivered), "the check can fail");
        JsonNode event = JSON.readTree(delivered.body());
        assertEquals("job_completed", event.get("event").asText());
        assertEquals(job, event.get("job_id").asText());
        assertEquals("completed", event.get("state").asText());
        // waits of 200 ms, then 400 ms: the due time is set when the failure is recorded
        assertTrue(gapMillis(receiver.calls, 0) >= 200, "first wait " + gapMillis(receiver.calls, 0));
        assertTrue(gapMillis(receiver.calls, 1) >= 400, "second wait " + gapMillis(receiver.calls, 1));

        JsonNode webhook = onlyWebhook(job);
        assertEquals(event.get("id").asText(), webhook.get("id").asText());
        assertEquals("job_completed", webhook.get("event").asText());
        assertEquals(3, webhook.get("attempts").asInt());
        assertTrue(webhook.get("delivered").asBoolean(), webhook.toString());
        assertEquals(204, webhook.get("last_status").asInt());
    }

    @Test
    void aReceiverThatNeverAnswers2xxIsGivenUpAfterTheLimitOfAttempts() throws Exception {
        Receiver receiver = new Receiver(n -> 503);
        app = RunningApp.start(root.resolve("data"), settings(Map.of("callback.secret", SECRET, "callback.max-attempts", "2",
                "callback.backoff-ms", "20")));

        String job = uploadOneImage(receiver.url());
        receiver.next();
        receiver.next();
        awaitOutcomeRecorded();
        // had there been a third call, it would have come with the polls since
        awaitOutcomeRecorded();

        JsonNode webhook = onlyWebhook(job);
        assertEquals(2, webhook.get("attempts").asInt());
        assertFalse(webhook.get("delivered").asBoolean());
        assertTrue(webhook.get("gave_up").asBoolean(), webhook.toString());
        assertEquals(503, webhook.get("last_status").asInt());
        assertEquals("HTTP 503", webhook.get("last_error").asText());
        assertEquals(2, receiver.calls.size());
    }

    @Test
    void anEventNotYetDeliveredWhenTheServiceStopsIsDeliveredAfterItStartsAgain() throws Exception {
        Receiver receiver = new Receiver(n -> 503);
        Path data = root.resolve("data");
        // no callback.secret: the service makes one and keeps it in the database
        Map<String, String> settings = settings(Map.of("callback.backoff-ms", "100"));
        app = RunningApp.start(data, settings);
        String job = uploadOneImage(receiver.url());
        receiver.next();
        awaitOutcomeRecorded();
        app.close();
        app = null;
        int callsBeforeRestart = receiver.calls.size();

        receiver.answer = n -> 200;
        receiver.received.clear();
        app = RunningApp.start(data, settings);
        Call delivered = receiver.next();
        awaitOutcomeRecorded();
        assertEquals(200, delivered.answered());
        assertEquals("job_completed", JSON.readTree(delivered.body()).get("event").asText());

        String secret = webhookSecret(data);
        assertTrue(secret.startsWith("whsec_"), secret);
        for (Call call : receiver.calls) {
            assertTrue(signedBy(secret, call), "both runs sign with the stored secret: " + call);
        }
        JsonNode webhook = onlyWebhook(job);
        assertTrue(webhook.get("delivered").asBoolean(), webhook.toString());
        assertEquals(callsBeforeRestart + 1, webhook.get("attempts").asInt(), "every call is an attempt: " + webhook);
    }

    @Test
    void aCancelledJobTellsItsCallback() throws Exception {
        Receiver receiver = new Receiver(n -> 200);
        app = RunningApp.start(root.resolve("data"), settings(Map.of("callback.secret", SECRET)));
        app.holdMatting();
        String job = uploadOneImage(receiver.url());
        assertEquals(200, app.post("/jobs/" + job + "/cancel").statusCode());

        Call delivered = receiver.next();
        assertTrue(signedBy(SECRET, delivered));
        JsonNode event = JSON.readTree(delivered.body());
        assertEquals("job_cancelled", event.get("event").asText());
        assertEquals(job, event.get("job_id").asText());

        // a deleted job takes its events with it
        awaitOutcomeRecorded();
        HttpResponse<String> deleted = app.http.send(HttpRequest.newBuilder(app.uri("/jobs/" + job)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(0, webhookRows(job));
    }

    /**
     * Waits for the poll that made the call just received to end, so its outcome is in the
     * database: the timer runs its polls one after another, each calling and recording in turn.
     */
    private void awaitOutcomeRecorded() {
        NotifyBuilder pollDone = new NotifyBuilder(app.context()).fromRoute("webhook-poll").whenDone(1).create();
        assertTrue(pollDone.matches(30, TimeUnit.SECONDS), "the poll did not end");
    }

    /** Loopback receivers, quick polls and short waits. */
    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("callback.allow-private", "true", "callback.poll-ms", "20",
                "callback.backoff-ms", "200", "callback.timeout-ms", "2000"));
        settings.putAll(extra);
        return settings;
    }

    /** What a receiver does: recompute HMAC-SHA256 over "t.body" with its secret, compare with v1. */
    private static boolean signedBy(String secret, Call call) throws Exception {
        Matcher header = SIGNATURE.matcher(call.signature() == null ? "" : call.signature());
        if (!header.matches()) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((header.group(1) + "." + call.body()).getBytes(StandardCharsets.UTF_8)));
        long age = System.currentTimeMillis() / 1000 - Long.parseLong(header.group(1));
        return expected.equals(header.group(2)) && age >= 0 && age < 300;
    }

    private static long gapMillis(List<Call> calls, int after) {
        return TimeUnit.NANOSECONDS.toMillis(calls.get(after + 1).receivedNanos() - calls.get(after).receivedNanos());
    }

    /** The rows the job's events left in the database. */
    private int webhookRows(String job) throws Exception {
        DataSource database = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection connection = database.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM webhook_deliveries WHERE job_id = ?")) {
            count.setString(1, job);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The secret as an operator gives it to a receiver: {@code mattepipe keys webhook-secret}. */
    private static String webhookSecret(Path data) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("keys", "webhook-secret", "--data-dir", data.toString()));
        return out.toString().trim();
    }

    private JsonNode onlyWebhook(String job) throws Exception {
        HttpResponse<String> status = app.get("/status/" + job);
        assertEquals(200, status.statusCode(), status.body());
        JsonNode webhooks = JSON.readTree(status.body()).get("webhooks");
        assertEquals(1, webhooks.size(), status.body());
        return webhooks.get(0);
    }

    private String uploadOneImage(String callbackUrl) throws Exception {
        HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=cat.png&callback_url=" + callbackUrl))
                        .header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 40, 30))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return JSON.readTree(accepted.body()).get("job_id").asText();
    }
}
