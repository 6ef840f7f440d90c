package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A worker container with a tight memory limit: the default models (176 MB of ONNX files) load and
 * run in a 256 MB heap, because their graphs are edited from a mapping of the file, not in the heap.
 */
class SmallHeapModelTest {

    @TempDir
    Path root;

    @Test
    void theDefaultModelsLoadAndMatteAnImageInA256MbHeap() throws Exception {
        TestPaths.realModel("isnet-fp16");
        TestPaths.realModel("u2netp");
        Map<String, String> settings = Map.of("matting.model", "isnet-fp16+u2netp",
                "matting.models-dir", TestPaths.MODELS.toAbsolutePath().toString());
        try (ChildApp app = ChildApp.start(root.resolve("data"), "256m", root.resolve("app.log"), settings, List.of())) {
            HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=cat.png"))
                    .POST(HttpRequest.BodyPublishers.ofFile(TestPaths.SAMPLES.resolve("chelsea_cat.png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            String job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
            JsonNode done = app.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofMinutes(5));
            assertEquals(1, done.get("completed").asInt(), done.toString());
        }
    }
}
