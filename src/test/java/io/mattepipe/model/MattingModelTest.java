package io.mattepipe.model;

import io.mattepipe.TestPaths;
import io.mattepipe.image.AlphaMatte;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pre- and post-processing against the tiny model (sigmoid(8·R − 8·B) of the normalised input,
 * see its script), so a wrong channel order, mean, scale or output name shows up as wrong numbers.
 */
class MattingModelTest {

    static final Path TINY_LOGITS = Path.of("src/test/resources/models/tiny-logits-32.onnx");

    private static MattingModel raw;

    @BeforeAll
    static void load() throws Exception {
        raw = MattingModel.load(ModelSpec.isnet(TestPaths.TINY_MODEL).withNormalize(false), 1, "cpu");
    }

    @AfterAll
    static void close() {
        raw.close();
    }

    @Test
    void preprocessingMatchesTheIsNetReference() {
        int r = 200;
        int b = 30;
        AlphaMatte matte = raw.predict(uniform(64, 48, new Color(r, 90, b)));
        // RGB/255 − 0.5, std 1: logits = 8·(r/255 − 0.5) − 8·(b/255 − 0.5)
        double expected = 255 / (1 + Math.exp(-8 * (r / 255.0 - b / 255.0)));
        assertEquals((int) Math.round(expected), matte.at(10, 10));
        // R = B gives logits 0, i.e. exactly half, only when both channels get the same mean (rembg's would give 88)
        assertEquals(128, raw.predict(uniform(8, 8, new Color(128, 0, 128))).at(3, 3));
    }

    @Test
    void channelsAreRgbNotBgr() {
        AlphaMatte red = raw.predict(uniform(16, 16, Color.RED));
        AlphaMatte blue = raw.predict(uniform(16, 16, Color.BLUE));
        assertTrue(red.at(5, 5) > 250, "red is foreground: " + red.at(5, 5));
        assertTrue(blue.at(5, 5) < 5, "blue is background: " + blue.at(5, 5));
    }

    @Test
    void theMatteHasTheImageOwnSizeAndShape() {
        BufferedImage image = uniform(300, 200, Color.BLUE);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(100, 50, 100, 100);
        g.dispose();
        AlphaMatte matte = raw.predict(image);
        assertEquals(300, matte.width());
        assertEquals(200, matte.height());
        assertTrue(matte.at(150, 100) > 250);
        assertTrue(matte.at(20, 20) < 5);
        assertTrue(matte.at(280, 180) < 5);
    }

    @Test
    void minMaxStretchesASubjectButLeavesAFlatOutputAlone() {
        float[] values = {0.2f, 0.4f, 0.6f};
        MattingModel.stretchToUnit(values);
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, values, 1e-6f);
        float[] flat = {0.3f, 0.3f, 0.3f};
        MattingModel.stretchToUnit(flat);
        assertArrayEquals(new float[] {0.3f, 0.3f, 0.3f}, flat, 0f);
    }

    @Test
    void oneModelServesManyThreadsWithTheSameAnswer() throws Exception {
        BufferedImage image = uniform(97, 61, new Color(180, 40, 90));
        byte[] expected = raw.predict(image).values();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AlphaMatte>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> raw.predict(image)));
            }
            for (Future<AlphaMatte> result : results) {
                assertArrayEquals(expected, result.get().values());
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * A thread's predictor reuses its input buffer from run to run: a matte made after another
     * image's is bit for bit the one a fresh model gives on its first run.
     */
    @Test
    void theReusedInputBufferGivesTheMatteOfAFreshOne() throws Exception {
        BufferedImage first = varied(97, 61, 1);
        BufferedImage other = varied(40, 130, 2);
        byte[] fresh;
        try (MattingModel model = MattingModel.load(ModelSpec.isnet(TestPaths.TINY_MODEL).withNormalize(false), 1, "cpu")) {
            fresh = model.predict(first).values();
        }
        raw.predict(first);
        raw.predict(other);
        assertArrayEquals(fresh, raw.predict(first).values());
    }

    private static BufferedImage varied(int width, int height, int seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    @Test
    void eachThreadKeepsOnePredictorForItsLifetime() throws Exception {
        try (MattingModel model = MattingModel.load(ModelSpec.isnet(TestPaths.TINY_MODEL), 1, "cpu")) {
            BufferedImage image = uniform(20, 20, Color.RED);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<AlphaMatte>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    results.add(pool.submit(() -> model.predict(image)));
                }
                for (Future<AlphaMatte> result : results) {
                    result.get();
                }
            } finally {
                pool.shutdown();
            }
            assertTrue(model.predictorsInUse() >= 1 && model.predictorsInUse() <= 3,
                    "one predictor per thread, not per call: " + model.predictorsInUse());
        }
    }

    @Test
    void closeWaitsForRunsAndLaterRunsAreRefused() throws Exception {
        MattingModel model = MattingModel.load(ModelSpec.isnet(TestPaths.TINY_MODEL), 1, "cpu");
        BufferedImage image = uniform(20, 20, Color.RED);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    int done = 0;
                    try {
                        while (true) {
                            assertTrue(model.predict(image).at(3, 3) > 250);
                            done++;
                        }
                    } catch (IllegalStateException closed) {
                        assertEquals("the model was closed", closed.getMessage());
                        return done;
                    }
                }));
            }
            // closing while four threads run the session: each run either completes with a right
            // answer or is refused, none is cut off inside native code
            model.predict(image);
            model.close();
            for (Future<Integer> run : runs) {
                run.get();
            }
            assertThrows(IllegalStateException.class, () -> model.predict(image));
            model.close();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theDeviceSettingBecomesADjlDevice() {
        assertEquals(ai.djl.Device.cpu(), MattingModel.device("cpu"));
        assertEquals(ai.djl.Device.gpu(0), MattingModel.device("cuda"));
        assertEquals(ai.djl.Device.gpu(2), MattingModel.device("cuda:2"));
        assertThrows(IllegalArgumentException.class, () -> MattingModel.device("gpu"));
    }

    @Test
    void threadsZeroSharesTheCoresAmongTheRuns() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(3, MattingModel.intraOpThreads(3, 2), "a configured count is kept");
        assertEquals(cores, MattingModel.intraOpThreads(0, 1));
        assertEquals(Math.max(1, cores / 2), MattingModel.intraOpThreads(0, 2));
        assertEquals(1, MattingModel.intraOpThreads(0, cores + 1), "never below one");
    }

    @Test
    void aModelWithoutTheNamedOutputIsRefusedWithItsNames() {
        Properties descriptor = new Properties();
        descriptor.setProperty("output", "mask");
        ModelSpec wrong = ModelSpec.describe("wrong", TestPaths.TINY_MODEL, descriptor);
        Exception e = assertThrows(Exception.class, () -> MattingModel.load(wrong, 1, "cpu"));
        assertTrue(e.getMessage().contains("output 'mask'") && e.getMessage().contains("1890"), e.getMessage());
    }

    @Test
    void aDescriptorGivesAnotherInterfaceAndPreprocessing() throws Exception {
        // tiny-logits-32: input 'input.1', raw logits 8·R − 8·B in 'logits'; its descriptor asks for
        // scaling by the image maximum, ImageNet mean and std, and a sigmoid
        ModelSpec spec = new ModelCatalog(Path.of("unused")).resolve(TINY_LOGITS.toString(), null).get(0);
        assertEquals("tiny-logits-32", spec.name());
        try (MattingModel logits = MattingModel.load(spec, 1, "cpu")) {
            int r = 120;
            int g = 200;
            int b = 90;
            double max = 200;
            double red = (r / max - 0.485) / 0.229;
            double blue = (b / max - 0.406) / 0.225;
            double expected = 255 / (1 + Math.exp(-(8 * red - 8 * blue)));
            assertEquals((int) Math.round(expected), logits.predict(uniform(40, 30, new Color(r, g, b))).at(7, 7));
            // dividing by the image's own maximum makes the input independent of exposure
            assertEquals(logits.predict(uniform(40, 30, new Color(60, 100, 45))).at(7, 7),
                    logits.predict(uniform(40, 30, new Color(r, g, b))).at(7, 7), 1);
        }
    }

    static BufferedImage uniform(int w, int h, Color colour) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }
}
