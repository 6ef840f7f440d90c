package io.mattepipe.model;

import io.mattepipe.TestPaths;
import io.mattepipe.compare.MattingMetrics;
import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.ImageDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real models of the catalogue, alone and combined, on the 19 alphamatting pairs, against the
 * means measured with {@code evaluate} (BENCHMARKS.md) less a margin: a lower figure means the
 * port of a model's pre- or post-processing is wrong somewhere (channel order, mean/std, scaling,
 * resize, output choice), or the combination is. The DIS reference scores mean IoU 0.762 (quint8)
 * and 0.803 (fp16) on exactly these pairs. Means over the whole set, never single images.
 */
class RealModelQualityTest {

    @ParameterizedTest(name = "{0}: mean IoU >= {1}, mean SAD <= {2}")
    @CsvSource({"isnet-quint8, 0.75, 64", "isnet-fp16, 0.79, 52", "u2netp, 0.81, 50", "isnet-fp16+u2netp, 0.86, 38"})
    void meansOnTheAlphamattingPairs(String setting, double minimumIou, double maximumSad) throws Exception {
        Path pairs = TestPaths.sharedTestdata("matting");
        for (String name : setting.split("\\+")) {
            TestPaths.realModel(name);
        }
        ImageDecoder decoder = new ImageDecoder(200_000_000L);
        List<Path> images;
        try (Stream<Path> files = Files.list(pairs)) {
            images = files.filter(p -> !p.getFileName().toString().endsWith(".alpha.png")).sorted().toList();
        }
        assertEquals(19, images.size(), "the shared set has 19 pairs");
        double iou = 0;
        double sad = 0;
        List<ModelSpec> specs = new ModelCatalog(TestPaths.MODELS).resolve(setting, null);
        try (ModelEnsemble models = ModelEnsemble.load(specs, 2, "cpu", MattingModel.Batching.NONE)) {
            for (Path image : images) {
                String stem = image.getFileName().toString().replaceFirst("\\.png$", "");
                AlphaMatte truth = decoder.decodeMatte(pairs.resolve(stem + ".alpha.png"));
                AlphaMatte predicted = models.predict(decoder.decode(image));
                iou += MattingMetrics.iou(predicted, truth);
                sad += MattingMetrics.sad(predicted, truth);
            }
        }
        iou /= images.size();
        sad /= images.size();
        System.out.printf(Locale.ROOT, "%s: mean IoU %.4f, mean SAD %.2f over %d pairs%n", setting, iou, sad, images.size());
        assertTrue(iou >= minimumIou, setting + " mean IoU " + iou + " < " + minimumIou);
        assertTrue(sad <= maximumSad, setting + " mean SAD " + sad + " > " + maximumSad);
    }
}
