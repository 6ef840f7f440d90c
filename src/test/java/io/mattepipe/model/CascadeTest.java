package io.mattepipe.model;

import io.mattepipe.TestImages;
import io.mattepipe.TestPaths;
import io.mattepipe.compare.MatteConfidence;
import io.mattepipe.image.AlphaMatte;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cascade runs the second model only on the images whose first matte's confidence is under the
 * threshold, and keeps the ensemble's maximum where both ran.
 */
class CascadeTest {

    @Test
    void theSecondModelRunsOnlyWhereTheFirstIsUnsure() throws Exception {
        List<ModelSpec> specs = new ModelCatalog(Path.of("unused")).resolve(
                TestPaths.TINY_MODEL + "+" + MattingModelTest.TINY_LOGITS, false);
        BufferedImage stripes = TestImages.stripes(90, 50);
        BufferedImage halves = halves(80, 60);
        try (MattingModel first = MattingModel.load(specs.get(0), 1, "cpu");
             MattingModel second = MattingModel.load(specs.get(1), 1, "cpu")) {
            double stripesConfidence = meanAlpha(first.predict(stripes));
            double halvesConfidence = meanAlpha(first.predict(halves));
            assertTrue(stripesConfidence != halvesConfidence,
                    "the two images give the first model different confidences: " + stripesConfidence + ", " + halvesConfidence);
            BufferedImage unsure = stripesConfidence < halvesConfidence ? stripes : halves;
            BufferedImage sure = unsure == stripes ? halves : stripes;
            double threshold = (stripesConfidence + halvesConfidence) / 2;
            try (ModelEnsemble cascade = ModelEnsemble.load(specs, 1, "cpu", MattingModel.Batching.NONE, false,
                    new Cascade(threshold, CascadeTest::meanAlpha))) {
                AtomicInteger runs = new AtomicInteger();
                StageTimer counting = (stage, nanos) -> runs.addAndGet(stage.equals("inference") ? 1 : 0);

                ModelEnsemble.Prediction both = cascade.predictEach(unsure, counting);
                assertEquals(2, runs.getAndSet(0), "under the threshold both models run");
                AlphaMatte a = first.predict(unsure);
                AlphaMatte b = second.predict(unsure);
                assertArrayEquals(ModelEnsemble.max(a, b).values(), both.matte().values(), "the ensemble's maximum");
                assertEquals(2, both.members().size());

                ModelEnsemble.Prediction alone = cascade.predictEach(sure, counting);
                assertEquals(1, runs.get(), "over the threshold only the first model runs");
                assertArrayEquals(first.predict(sure).values(), alone.matte().values());
                assertEquals(1, alone.members().size());
            }
        }
    }

    @Test
    void theServiceDecidesOnTheFirstMattesOwnConfidence() {
        Cascade cascade = new Cascade(0.5, MatteConfidence::ofOne);
        byte[] grey = new byte[40 * 30];
        Arrays.fill(grey, (byte) 128);
        assertTrue(cascade.runsTheRest(new AlphaMatte(40, 30, grey)), "an undecided matte is unsure");
        byte[] square = new byte[40 * 30];
        for (int y = 10; y < 20; y++) {
            Arrays.fill(square, y * 40 + 10, y * 40 + 30, (byte) 255);
        }
        assertEquals(1.0, MatteConfidence.ofOne(new AlphaMatte(40, 30, square)));
        assertTrue(!cascade.runsTheRest(new AlphaMatte(40, 30, square)), "a crisp subject inside the frame is sure");
    }

    @Test
    void aThresholdOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Cascade(1.5, MatteConfidence::ofOne));
        assertThrows(IllegalArgumentException.class, () -> new Cascade(Double.NaN, MatteConfidence::ofOne));
    }

    /**
     * A stand-in confidence that the tiny models' mattes tell apart (MatteConfidence finds both
     * undecided): the gate must follow whatever the confidence says of the first matte.
     */
    private static double meanAlpha(AlphaMatte matte) {
        long sum = 0;
        for (byte value : matte.values()) {
            sum += value & 0xFF;
        }
        return sum / (255.0 * matte.values().length);
    }

    /** A dark left half and a light right half: a different matte from the stripes'. */
    private static BufferedImage halves(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(20, 20, 20));
        g.fillRect(0, 0, w / 2, h);
        g.setColor(new Color(240, 240, 230));
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return image;
    }
}
