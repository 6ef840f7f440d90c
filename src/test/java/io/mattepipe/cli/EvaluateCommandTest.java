package io.mattepipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.Main;
import io.mattepipe.TestPaths;
import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate} on three real pairs with the default model, against IoU, SAD and MSE computed
 * here by plain loops from the model's own output (not through the pipeline or MattingMetrics).
 */
class EvaluateCommandTest {

    private static final List<String> PAIRS = List.of("alphamatting_GT01", "alphamatting_GT06", "alphamatting_GT08");

    @TempDir
    Path root;

    @Test
    void meansMatchAnIndependentComputation() throws Exception {
        Path shared = TestPaths.sharedTestdata("matting");
        Path model = TestPaths.realModel("isnet-fp16");
        Path input = Files.createDirectories(root.resolve("in"));
        for (String pair : PAIRS) {
            Files.copy(shared.resolve(pair + ".png"), input.resolve(pair + ".png"));
            Files.copy(shared.resolve(pair + ".alpha.png"), input.resolve(pair + ".alpha.png"));
        }

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stdout, true));
        int exit;
        try {
            exit = Main.commandLine().execute("evaluate", input.toString(), "--json", "--model", model.toString(),
                    "--out", root.resolve("out").toString());
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit);
        String[] lines = stdout.toString().trim().split("\n");
        JsonNode figures = new ObjectMapper().readTree(lines[lines.length - 1]);

        double iou = 0;
        double sad = 0;
        double mse = 0;
        ImageDecoder decoder = new ImageDecoder(100_000_000L);
        try (MattingModel matting = MattingModel.load(ModelSpec.isnet(model), 2, "cpu")) {
            for (String pair : PAIRS) {
                AlphaMatte predicted = matting.predict(decoder.decode(input.resolve(pair + ".png")));
                AlphaMatte truth = decoder.decodeMatte(input.resolve(pair + ".alpha.png"));
                long intersection = 0;
                long union = 0;
                double absolute = 0;
                double squared = 0;
                for (int i = 0; i < predicted.values().length; i++) {
                    double p = (predicted.values()[i] & 0xFF) / 255.0;
                    double t = (truth.values()[i] & 0xFF) / 255.0;
                    boolean pf = p >= 0.5;
                    boolean tf = t >= 0.5;
                    intersection += pf && tf ? 1 : 0;
                    union += pf || tf ? 1 : 0;
                    absolute += Math.abs(p - t);
                    squared += (p - t) * (p - t);
                }
                iou += (double) intersection / union;
                sad += absolute / 1000;
                mse += squared / predicted.values().length;
            }
        }
        assertEquals(3, figures.get("n").asInt());
        assertEquals(0, figures.get("failed").asInt());
        assertEquals(iou / 3, figures.get("iou").asDouble(), 1e-4);
        assertEquals(sad / 3, figures.get("sad").asDouble(), 1e-3);
        assertEquals(mse / 3, figures.get("mse").asDouble(), 1e-5);
        assertTrue(figures.get("grad").asDouble() > 0 && figures.get("conn").asDouble() > 0, figures.toString());
        assertTrue(Files.isRegularFile(root.resolve("out").resolve("report.html")));
        JsonNode confidence = figures.get("confidence");
        assertEquals(3, confidence.get("n").asInt(), "every scored image has a confidence: " + confidence);
        assertEquals(0.8, confidence.get("bad_below_iou").asDouble());
        assertEquals(9, confidence.get("thresholds").size());
    }
}
