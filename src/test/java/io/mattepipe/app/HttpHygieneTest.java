package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.apache.camel.builder.NotifyBuilder;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP edge against hostile requests: responses carry only documented headers (never the
 * request's parameters or headers), control bytes in a path or parameter are a 400, HEAD works on
 * GET endpoints, and no error shows exception text or a server path.
 */
class HttpHygieneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Headers a response may carry: the documented ones (README), the security headers of every
     * answer (AccessControl), and what the HTTP layer adds itself.
     */
    private static final Set<String> ALLOWED = Set.of("content-type", "content-length", "content-disposition",
            "cache-control", "etag", "last-modified", "retry-after", "connection", "transfer-encoding", "date",
            "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy");

    @TempDir
    static Path root;

    private static RunningApp app;
    private static String job;

    @BeforeAll
    static void start() throws Exception {
        app = RunningApp.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=a.png"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 16, 16))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        job = JSON.readTree(accepted.body()).get("job_id").asText();
        assertTrue(finished.matches(60, java.util.concurrent.TimeUnit.SECONDS), "the job never finished");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void queryParametersAndRequestHeadersNeverComeBackAsResponseHeaders() throws Exception {
        String hostile = "?Access-Control-Allow-Origin=https://evil.example&Location=https://evil.example/"
                + "&Set-Cookie=session%3Dstolen&X-Echo=1&CamelHttpResponseCode=302";
        for (String path : List.of("/jobs", "/status/" + job, "/status/nope", "/health", "/jobs/" + job + "/tasks",
                "/metrics", "/", "/openapi.json", "/download/nope")) {
            HttpResponse<String> answer = app.http.send(HttpRequest.newBuilder(app.uri(path + hostile))
                    .header("X-Request-Echo", "1").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 404, path + ": " + answer.statusCode());
            assertOnlyDocumentedHeaders(path, answer);
        }
        HttpResponse<String> upload = app.http.send(HttpRequest.newBuilder(app.uri("/upload" + hostile + "&filename=b.png"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 8, 8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, upload.statusCode(), upload.body());
        assertOnlyDocumentedHeaders("/upload", upload);
        assertEquals(Set.of("job_id"), fieldNames(JSON.readTree(upload.body())), "no internal fields in the answer");
    }

    @Test
    void controlBytesInAPathOrParameterAreRefusedWith400() throws Exception {
        for (String path : List.of("/jobs?limit=1%00", "/jobs?limit=1%0d%0aSet-Cookie:%20a=b", "/status/a%00b",
                "/status/a%0d%0aLocation:%20x", "/jobs?x%0a=1", "/health?%00")) {
            HttpResponse<String> answer = app.get(path);
            assertEquals(400, answer.statusCode(), path + ": " + answer.body());
            assertTrue(JSON.readTree(answer.body()).get("error").asText().contains("NUL, CR or LF"), answer.body());
            assertOnlyDocumentedHeaders(path, answer);
        }
        for (String name : List.of("a%00.zip", "a%0d%0a.zip", "a.zip%0aX-Evil:%201")) {
            HttpResponse<String> answer = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=" + name))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 8, 8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, answer.statusCode(), name + ": " + answer.body());
        }
    }

    /**
     * Over HTTP/1.1, as curl and browsers speak plain HTTP, and over h2c (HTTP/2 after an upgrade,
     * as Java's client asks for it), where Vert.x itself would send a HEAD's body: on every kind of
     * GET endpoint (JSON, files, the page, the streamed zip) the status and headers of the GET, no body.
     */
    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void headAnswersLikeGetWithoutABody(HttpClient.Version version) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).build();
        String task = JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks").get(0).get("task_id").asText();
        for (String path : List.of("/health", "/metrics", "/status/" + job, "/jobs", "/jobs/" + job + "/tasks",
                "/jobs/" + job + "/report", "/jobs/" + job + "/tasks/" + task + "/cutout", "/jobs/" + job + "/tasks/" + task + "/thumb",
                "/download/" + job, "/openapi.json", "/", "/web/app.js", "/status/nope")) {
            HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(app.uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(version, get.version(), "the GET went over " + get.version());
            assertTrue(get.body().length > 0, path);
            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(app.uri(path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(version, head.version(), path);
            assertEquals(get.statusCode(), head.statusCode(), path);
            assertEquals(0, head.body().length, path + " answered HEAD with a body over " + version);
            assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
            assertOnlyDocumentedHeaders(path, head);
        }
    }

    @Test
    void errorsNeverShowExceptionTextOrServerPaths() throws Exception {
        String dataDir = root.toAbsolutePath().toString();
        for (String path : List.of("/status/nope", "/jobs?limit=ten", "/jobs/" + job + "/tasks/999999/cutout",
                "/jobs/" + job + "/report?format=xml", "/jobs/nope/report", "/web/..%2f..%2fetc%2fpasswd",
                "/download/" + "x".repeat(3000))) {
            HttpResponse<String> answer = app.get(path);
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, path + ": " + answer.statusCode());
            String everything = answer.body() + answer.headers().map();
            assertFalse(everything.contains(dataDir), path + " shows a server path: " + everything);
            assertFalse(everything.contains("Exception") || everything.contains("\tat "), path + ": " + everything);
        }
        // a raw request with a CR in its request line never reaches a route
        try (Socket socket = new Socket("localhost", app.port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /jobs?a=\rb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // Netty refuses the request line itself
            assertTrue(answer.matches("HTTP/1\\.[01] 400 (?s).*"), answer);
        }
    }

    @Test
    void hostileJobIdsInEveryPathAreUnknownJobsNeverErrorsOrChanges() throws Exception {
        List<String> ids = List.of("..%2F..%2Fetc%2Fpasswd", "'%20OR%20'1'='1", "x%22%3B%20DROP%20TABLE%20jobs%3B--",
                "%25s%25n", "фото".replace("ф", "%D1%84").replace("о", "%D0%BE").replace("т", "%D1%82"),
                "a".repeat(5000), "%F0%9F%93%B7", "job%5C..%5Cx", "*");
        List<String> gets = List.of("/status/%s", "/jobs/%s/tasks", "/jobs/%s/report", "/jobs/%s/tasks/000000/cutout",
                "/jobs/%s/x_compare.jpg", "/download/%s");
        Set<String> jobsBefore = jobIds();
        for (String id : ids) {
            for (String template : gets) {
                String path = String.format(template, id);
                HttpResponse<String> answer = app.get(path);
                assertTrue(answer.statusCode() == 404 || answer.statusCode() == 400, path + ": " + answer.statusCode() + " " + answer.body());
                assertFalse(answer.body().contains("Exception"), path + ": " + answer.body());
            }
            HttpResponse<String> retry = app.post("/jobs/" + id + "/retry");
            assertTrue(retry.statusCode() == 404 || retry.statusCode() == 400, "retry " + id + ": " + retry.statusCode());
            HttpResponse<String> delete = app.http.send(HttpRequest.newBuilder(app.uri("/jobs/" + id)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(delete.statusCode() == 404 || delete.statusCode() == 400, "delete " + id + ": " + delete.statusCode());
        }
        assertEquals(jobsBefore, jobIds(), "a hostile id made or removed a job");
        assertEquals(200, app.get("/status/" + job).statusCode());
    }

    private static void assertOnlyDocumentedHeaders(String path, HttpResponse<?> answer) {
        Set<String> names = answer.headers().map().keySet().stream().map(n -> n.toLowerCase(Locale.ROOT))
                .filter(n -> !n.startsWith(":")).collect(Collectors.toCollection(TreeSet::new));
        names.removeAll(ALLOWED);
        assertEquals(Set.of(), names, path + " answered with undocumented headers");
    }

    private static Set<String> jobIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        JSON.readTree(app.get("/jobs").body()).get("jobs").forEach(j -> ids.add(j.get("job_id").asText()));
        return ids;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
