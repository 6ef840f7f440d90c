package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The application in a JVM of its own, for what an in-process test cannot do: a small heap,
 * {@code kill -9} and SIGTERM.
 */
final class ChildApp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;

    private ChildApp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ChildApp start(Path dataDir, String maxHeap, Path log) throws Exception {
        return start(dataDir, maxHeap, log, Map.of(), List.of());
    }

    /**
     * @param settings more settings, over the tests' own
     * @param serveOptions more options of {@code serve} ({@code --profile cluster})
     *                     <p>The child runs in the log's folder, where a JVM crash would leave its
     *                     {@code hs_err_pid*.log}.
     */
    static ChildApp start(Path dataDir, String maxHeap, Path log, Map<String, String> settings, List<String> serveOptions)
            throws Exception {
        int port = RunningApp.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-cp", System.getProperty("java.class.path"),
                // the application's own logging, to the log file the test reads, not the tests' target/test.log
                "-Dlog4j2.configurationFile=log4j2.properties"));
        Map<String, String> all = new java.util.TreeMap<>(RunningApp.testSettings(dataDir, port));
        all.putAll(settings);
        for (Map.Entry<String, String> setting : all.entrySet()) {
            command.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        command.addAll(List.of("io.mattepipe.Main", "serve", "--data-dir", dataDir.toString(), "--port", String.valueOf(port)));
        command.addAll(serveOptions);
        Process process = new ProcessBuilder(command).directory(log.toAbsolutePath().getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ChildApp app = new ChildApp(process, port);
        try {
            app.awaitHealthy();
        } catch (Exception | AssertionError e) {
            // a node that never came up must not outlive the test
            process.destroyForcibly();
            throw e;
        }
        return app;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Polls the job's status (the child has no NotifyBuilder) until {@code condition} holds. */
    JsonNode awaitStatus(String job, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = getJson("/status/" + job);
            if (condition.test(status)) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + job + " never reached the expected status: " + getJson("/status/" + job));
    }

    private void awaitHealthy() throws Exception {
        // generous: on a machine shared by several builds a JVM with the model can take a minute to start
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the application did not start within 180 s");
    }

    /** CPU time (user + system) the process has used so far, for benchmarks. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("the OS does not report CPU time"));
    }

    /** SIGTERM, as docker, systemd and Kubernetes stop a service; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, exactly like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
