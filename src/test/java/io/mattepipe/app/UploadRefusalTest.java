package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads that are refused, too large, empty or cut off: each gets its documented status and a
 * JSON reason (or, when the client went away, nothing), and none leaves a job or a byte behind.
 */
class UploadRefusalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;
    private Path data;

    private void start(Map<String, String> settings) throws Exception {
        data = root.resolve("data");
        app = apps.start(data, settings);
    }

    @Test
    void tooLargeEmptyBadOptionsAndPrivateCallbacksAreRefusedWithTheirStatusAndLeaveNothing() throws Exception {
        start(Map.of("inbox.enabled", "false", "upload.max-bytes", "10000"));
        byte[] big = new byte[20_000];

        // declared too large: refused before a byte is read
        HttpResponse<String> declared = post("/upload?filename=a.zip", big);
        assertEquals(413, declared.statusCode(), declared.body());
        assertTrue(JSON.readTree(declared.body()).get("error").asText().contains("upload.max-bytes"), declared.body());

        // chunked, no length: cut off when the count passes the cap, and its bytes removed
        HttpResponse<String> chunked = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=a.zip"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());

        HttpResponse<String> empty = post("/upload?filename=a.zip", new byte[0]);
        assertEquals(400, empty.statusCode(), empty.body());
        assertEquals("empty upload", JSON.readTree(empty.body()).get("error").asText());

        HttpResponse<String> badFormat = post("/upload?filename=a.png&format=gif", TestArchives.image("png", 8, 8));
        assertEquals(400, badFormat.statusCode(), badFormat.body());

        // a callback into the service's own network is refused unless callback.allow-private
        for (String hook : new String[] {"http://169.254.169.254/latest/meta-data/", "http://localhost:9/x", "http://10.1.2.3/"}) {
            HttpResponse<String> refused = post("/upload?filename=a.png&callback_url=" + hook, TestArchives.image("png", 8, 8));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("callback.allow-private"), refused.body());
        }

        assertNoJobsAndNoBytes();
    }

    @Test
    void uploadsOverTheLimitsAreAnswered429Or503AtOnceNotHeld() throws Exception {
        start(Map.of("inbox.enabled", "false", "upload.max-per-client", "2", "upload.max-concurrent", "3"));
        List<Socket> held = new ArrayList<>();
        try {
            // two uploads from this client stream (slowly) and hold the per-client slots
            for (int i = 0; i < 2; i++) {
                held.add(openUpload(1000));
            }
            awaitInFlight(2);
            HttpResponse<String> third = post("/upload?filename=a.png", TestArchives.image("png", 8, 8));
            assertEquals(429, third.statusCode(), third.body());
            assertTrue(third.headers().firstValue("Retry-After").isPresent());

            // the global limit: with the per-client one out of the way, the fourth upload in all is refused
            app.close();
            start(Map.of("inbox.enabled", "false", "upload.max-per-client", "10", "upload.max-concurrent", "3"));
            for (Socket socket : held) {
                socket.close();
            }
            held.clear();
            for (int i = 0; i < 3; i++) {
                held.add(openUpload(1000));
            }
            awaitInFlight(3);
            HttpResponse<String> fourth = post("/upload?filename=a.png", TestArchives.image("png", 8, 8));
            assertEquals(503, fourth.statusCode(), fourth.body());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        UploadLoadTest.awaitNoStagedUploads(data);
        assertEquals(0, JSON.readTree(app.get("/jobs").body()).get("jobs").size());
        // and once they are gone, uploads are taken again
        HttpResponse<String> after = post("/upload?filename=a.png", TestArchives.image("png", 8, 8));
        assertEquals(202, after.statusCode(), after.body());
    }

    @Test
    void aBodyThatStopsSendingIsCutOffWith408AndLeavesNothing() throws Exception {
        start(Map.of("inbox.enabled", "false", "upload.idle-timeout-ms", "500"));
        try (Socket socket = openUpload(1000)) {
            socket.getOutputStream().write(new byte[100]);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("upload.idle-timeout-ms"), answer);
        }
        UploadLoadTest.awaitNoStagedUploads(data);
        assertNoJobsAndNoBytes();
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return app.http.send(HttpRequest.newBuilder(app.uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTP/1.1 upload whose head is sent and whose body of {@code length} bytes is not (yet). */
    private Socket openUpload(int length) throws Exception {
        Socket socket = new Socket("localhost", app.port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /upload?filename=held.zip HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/zip\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private void awaitInFlight(int uploads) throws Exception {
        UploadReceiver receiver = app.context().getRegistry().lookupByNameAndType("uploadReceiver", UploadReceiver.class);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (receiver.inFlight() < uploads) {
            assertTrue(System.nanoTime() < deadline, "uploads in flight: " + receiver.inFlight());
            Thread.sleep(20);
        }
    }

    private void assertNoJobsAndNoBytes() throws Exception {
        JsonNode jobs = JSON.readTree(app.get("/jobs").body()).get("jobs");
        assertEquals(0, jobs.size(), jobs.toString());
        assertFalse(Files.exists(data.resolve("input")) && !isEmpty(data.resolve("input")), "bytes left under input/");
        UploadLoadTest.awaitNoStagedUploads(data);
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
