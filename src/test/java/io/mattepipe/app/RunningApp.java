package io.mattepipe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.TestPaths;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real application (routes, SQLite file, HTTP on a free port) with the tiny model, started in
 * the test's JVM on a data folder of the test's.
 */
public final class RunningApp implements AutoCloseable {

    public final Path dataDir;
    public final int port;
    final Main main;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Opened by {@link #releaseMatting()}, or by {@link #close()} so a failed test does not hold the stop. */
    private final CountDownLatch mattingReleased = new CountDownLatch(1);

    private RunningApp(Path dataDir, int port, Main main) {
        this.dataDir = dataDir;
        this.port = port;
        this.main = main;
    }

    public static RunningApp start(Path dataDir, Map<String, String> extra) throws Exception {
        int port = freePort();
        Map<String, String> settings = new HashMap<>(testSettings(dataDir, port));
        settings.putAll(extra);
        Main main = MattepipeApplication.create(settings);
        main.start();
        return new RunningApp(dataDir, port, main);
    }

    /** Fast, small and deterministic: the tiny model, short retry delays, a quick inbox. */
    public static Map<String, String> testSettings(Path dataDir, int port) {
        Map<String, String> settings = new HashMap<>();
        settings.put("data.dir", dataDir.toString());
        settings.put("camel.server.port", String.valueOf(port));
        settings.put("matting.model", TestPaths.TINY_MODEL.toAbsolutePath().toString());
        settings.put("matting.threads", "1");
        settings.put("compare.panel-width", "300");
        settings.put("retry.delay-ms", "20");
        settings.put("inbox.poll-ms", "300");
        settings.put("inbox.min-age-ms", "1000");
        settings.put("recovery.sweep-ms", "1000");
        return settings;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST without a body, as the job actions take ({@code /jobs/{job}/cancel}, {@code /retry}). */
    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code archive} as a zip upload named {@code filename}; the job id it was accepted (202) under. */
    public String upload(Path archive, String filename) throws IOException, InterruptedException {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(uri("/upload?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(archive)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
    }

    /**
     * Holds every message of the matting stage before its claim until {@link #releaseMatting()}, so
     * its tasks stay waiting. Suspending the route is no such hold: a consumer thread already inside
     * its poll of the queue when the route is suspended still takes the next message (Camel's
     * SedaConsumer looks at the suspension only between polls), and that image runs. The hold is
     * in the attempt's route, so that advising it leaves the stage's queue alone.
     */
    public void holdMatting() throws Exception {
        AdviceWith.adviceWith(context(), "matting-attempt", route -> route.weaveAddFirst().process(exchange -> mattingReleased.await()));
    }

    public void releaseMatting() {
        mattingReleased.countDown();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        releaseMatting();
        main.stop();
    }
}
