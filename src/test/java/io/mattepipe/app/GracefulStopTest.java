package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while images are inside the model: the JVM used to die in {@code OrtSession.run}
 * (SIGSEGV, exit 134) because ONNX Runtime's own shutdown hook freed the native environment under
 * the runs Camel's graceful stop was waiting for. Needs the real model: the tiny one runs in a
 * millisecond, too short to be caught inside.
 */
class GracefulStopTest {

    private static final int IMAGES = 6;
    private static final int STOPS = 3;

    @TempDir
    Path root;

    @Test
    void aStopDuringInferenceExitsCleanlyAndTheJobCompletesAfterTheRestart() throws Exception {
        Path model = TestPaths.realModel("isnet-quint8").toAbsolutePath();
        Map<String, String> settings = Map.of("matting.model", model.toString(), "matting.workers", "2",
                "matting.threads", "1", "inbox.enabled", "false", "camel.main.shutdown-timeout", "55");
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        Path upload = root.resolve("photos.zip");
        TestArchives.zip(upload, TestArchives.numberedImages(IMAGES, 160, 120));

        String job = null;
        for (int stop = 1; stop <= STOPS; stop++) {
            ChildApp app = ChildApp.start(data, "1g", log, settings, List.of());
            try {
                if (job == null) {
                    HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=photos.zip"))
                            .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(202, accepted.statusCode(), accepted.body());
                    job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
                }
                JsonNode inModel = app.awaitStatus(job, s -> s.path("counts").path("processing").asInt() > 0
                        || s.get("state").asText().startsWith("completed"), Duration.ofSeconds(120));
                assertFalse(inModel.get("state").asText().startsWith("completed"),
                        "the job finished before stop " + stop + " could catch an image in the model: " + inModel);
            } finally {
                long signalled = System.nanoTime();
                int exit = app.terminate();
                System.out.printf("stop %d: exit %d after %.1f s%n", stop, exit, (System.nanoTime() - signalled) / 1e9);
                assertEquals(0, exit, "stop " + stop + ": exit code (134 is the old SIGSEGV); see " + log);
            }
            assertEquals(0, crashReports(), "stop " + stop + " left an hs_err_pid*.log in " + root);
        }

        try (ChildApp app = ChildApp.start(data, "1g", log, settings, List.of())) {
            String id = job;
            JsonNode done = app.awaitStatus(id, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(300));
            assertEquals("completed", done.get("state").asText(), done.toString());
            assertEquals(IMAGES, done.get("completed").asInt(), done.toString());
        }
        assertTrue(Files.readString(log).contains("SIGTERM: stopping"), "the stop was not the graceful one");
    }

    private long crashReports() throws Exception {
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err")).count();
        }
    }
}
