package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.TestImages;
import io.mattepipe.TestPaths;
import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.ModelSpec;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service running an ensemble of two models (the tiny ones, with different interfaces and
 * preprocessing): the upload may name it, the cutout's alpha is the pixelwise maximum of the two
 * models' mattes, and the report says which models produced it.
 */
class EnsemblePipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TINY_LOGITS = Path.of("src/test/resources/models/tiny-logits-32.onnx");

    @Test
    void theCutoutIsTheMaximumOfBothModelsAndTheReportNamesThem(@TempDir Path root) throws Exception {
        String setting = TestPaths.TINY_MODEL.toAbsolutePath() + "+" + TINY_LOGITS.toAbsolutePath();
        try (RunningApp app = RunningApp.start(root.resolve("data"), Map.of("matting.model", setting))) {
            check(app, root, setting);
        }
    }

    private static void check(RunningApp app, Path root, String setting) throws Exception {
        Path photo = root.resolve("stripes.png");
        ImageIO.write(TestImages.stripes(60, 40), "png", photo.toFile());

        HttpResponse<String> refused = upload(app, photo, TestPaths.TINY_MODEL.toAbsolutePath().toString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("is not loaded"), refused.body());

        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        HttpResponse<String> accepted = upload(app, photo, setting);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String job = JSON.readTree(accepted.body()).get("job_id").asText();
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "job did not finish");

        HttpResponse<byte[]> download = app.http.send(HttpRequest.newBuilder(app.uri("/download/" + job)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Map<String, byte[]> files = TestArchives.unzip(download.body());
        JsonNode report = JSON.readTree(files.get("report.json"));
        assertEquals("tiny-matting+tiny-logits-32", report.get("job").get("model").asText());

        BufferedImage cutout = ImageIO.read(new ByteArrayInputStream(files.get("stripes.png")));
        BufferedImage original = new ImageDecoder(1_000_000L).decode(photo);
        List<ModelSpec> specs = new ModelCatalog(Path.of("unused")).resolve(setting, null);
        try (MattingModel first = MattingModel.load(specs.get(0), 1, "cpu");
             MattingModel second = MattingModel.load(specs.get(1), 1, "cpu")) {
            AlphaMatte a = first.predict(original);
            AlphaMatte b = second.predict(original);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 60; x++) {
                    assertEquals(Math.max(a.at(x, y), b.at(x, y)), cutout.getRaster().getSample(x, y, 3), "alpha at " + x + "," + y);
                }
            }
            // the two models' agreement is recorded with the task: the IoU of their mattes, computed here by hand
            long both = 0;
            long either = 0;
            for (int i = 0; i < a.values().length; i++) {
                boolean inA = (a.values()[i] & 0xFF) >= 128;
                boolean inB = (b.values()[i] & 0xFF) >= 128;
                both += inA && inB ? 1 : 0;
                either += inA || inB ? 1 : 0;
            }
            JsonNode task = report.get("tasks").get(0);
            assertEquals(either == 0 ? 1.0 : (double) both / either, task.get("agreement").asDouble(), 1e-9, task.toString());
            assertTrue(task.get("confidence").asDouble() <= 1.0 && task.get("confidence").asDouble() >= 0.0, task.toString());
        }
    }

    private static HttpResponse<String> upload(RunningApp app, Path photo, String model) throws Exception {
        String query = "/upload?filename=stripes.png&model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
        return app.http.send(HttpRequest.newBuilder(app.uri(query)).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofFile(photo)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
