package io.mattepipe.model;

import io.mattepipe.TestImages;
import io.mattepipe.TestPaths;
import io.mattepipe.image.AlphaMatte;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An ensemble's matte is the pixelwise maximum of its members', at the image's own size. */
class ModelEnsembleTest {

    @Test
    void theMatteIsThePixelwiseMaximumOfTheMembers() throws Exception {
        List<ModelSpec> specs = new ModelCatalog(Path.of("unused")).resolve(
                TestPaths.TINY_MODEL + "+" + MattingModelTest.TINY_LOGITS, false);
        BufferedImage image = TestImages.stripes(90, 50);
        try (ModelEnsemble both = ModelEnsemble.load(specs, 1, "cpu", MattingModel.Batching.NONE);
             MattingModel first = MattingModel.load(specs.get(0), 1, "cpu");
             MattingModel second = MattingModel.load(specs.get(1), 1, "cpu")) {
            assertEquals("tiny-matting+tiny-logits-32", both.name());
            AlphaMatte a = first.predict(image);
            AlphaMatte b = second.predict(image);
            AlphaMatte combined = both.predict(image);
            assertEquals(90, combined.width());
            assertEquals(50, combined.height());
            int fromFirst = 0;
            int fromSecond = 0;
            for (int i = 0; i < combined.values().length; i++) {
                int x = a.values()[i] & 0xFF;
                int y = b.values()[i] & 0xFF;
                assertEquals(Math.max(x, y), combined.values()[i] & 0xFF, "pixel " + i);
                fromFirst += x > y ? 1 : 0;
                fromSecond += y > x ? 1 : 0;
            }
            assertTrue(fromFirst > 0 && fromSecond > 0, "the image makes each model win somewhere: " + fromFirst + ", " + fromSecond);
            ModelEnsemble.Prediction each = both.predictEach(image, StageTimer.NONE);
            assertArrayEquals(combined.values(), each.matte().values());
            assertEquals(2, each.members().size());
            assertArrayEquals(a.values(), each.members().get(0).values(), "the first member's matte is kept as it was predicted");
            assertArrayEquals(b.values(), each.members().get(1).values());
        }
    }

    @Test
    void oneModelIsAnEnsembleOfOne() throws Exception {
        ModelSpec spec = ModelSpec.isnet(TestPaths.TINY_MODEL).withNormalize(false);
        BufferedImage image = TestImages.stripes(40, 30);
        try (ModelEnsemble one = ModelEnsemble.load(List.of(spec), 1, "cpu", MattingModel.Batching.NONE);
             MattingModel model = MattingModel.load(spec, 1, "cpu")) {
            assertEquals("tiny-matting", one.name());
            AlphaMatte expected = model.predict(image);
            AlphaMatte actual = one.predict(image);
            assertArrayEquals(expected.values(), actual.values());
        }
    }
}
