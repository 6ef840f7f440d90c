package io.mattepipe.model;

import io.mattepipe.TestPaths;
import io.mattepipe.image.AlphaMatte;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched inference on the tiny model, whose file declares a batch of one like the IS-Net
 * exports: the batch dimension is made symbolic on load, and a batch gives each image the matte
 * it gets alone.
 */
class BatchedMattingModelTest {

    private static final Path FIXED_BATCH = Path.of("src/test/resources/models/tiny-matting-fixed-batch.onnx");

    @Test
    void aBatchGivesEachImageTheMatteItGetsAlone() throws Exception {
        List<BufferedImage> images = List.of(
                MattingModelTest.uniform(40, 30, Color.RED),
                MattingModelTest.uniform(17, 90, Color.BLUE),
                MattingModelTest.uniform(64, 64, new Color(200, 90, 30)));
        ModelSpec spec = ModelSpec.isnet(TestPaths.TINY_MODEL).withNormalize(false);
        List<byte[]> alone = new ArrayList<>();
        try (MattingModel single = MattingModel.load(spec, 1, "cpu")) {
            for (BufferedImage image : images) {
                alone.add(single.predict(image).values());
            }
            List<float[]> tensors = images.stream().map(single::preprocess).toList();
            assertThrows(IllegalStateException.class, () -> single.inferBatch(tensors),
                    "the file as written takes a batch of one only");
        }
        try (MattingModel batched = MattingModel.load(spec, 1, "cpu",
                new MattingModel.Batching(3, Duration.ofMinutes(10), 1))) {
            List<float[]> outputs = batched.inferBatch(images.stream().map(batched::preprocess).toList());
            assertEquals(3, outputs.size());
            for (int i = 0; i < images.size(); i++) {
                BufferedImage image = images.get(i);
                assertArrayEquals(alone.get(i),
                        batched.postprocess(outputs.get(i), image.getWidth(), image.getHeight()).values(), "image " + i);
            }
            // three threads, one at a time each: with a ten-minute wait they can only finish as one batch of three
            ExecutorService workers = Executors.newFixedThreadPool(3);
            try {
                List<Future<AlphaMatte>> mattes = new ArrayList<>();
                for (BufferedImage image : images) {
                    mattes.add(workers.submit(() -> batched.predict(image)));
                }
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(alone.get(i), mattes.get(i).get().values(), "image " + i);
                }
            } finally {
                workers.shutdown();
            }
        }
    }

    @Test
    void aGraphThatFixesTheBatchIsRefusedOnLoadWithTheWayOut() {
        Exception e = assertThrows(Exception.class, () -> MattingModel.load(ModelSpec.isnet(FIXED_BATCH), 1, "cpu",
                new MattingModel.Batching(2, Duration.ofMillis(20), 1)));
        assertTrue(e.getMessage().contains("cannot run batches of 2") && e.getMessage().contains("matting.batch-size=1"),
                e.getMessage());
    }

    @Test
    void theSameGraphRunsWithoutBatching() throws Exception {
        try (MattingModel model = MattingModel.load(ModelSpec.isnet(FIXED_BATCH), 1, "cpu")) {
            assertTrue(model.predict(MattingModelTest.uniform(8, 8, Color.RED)).at(4, 4) > 250);
        }
    }
}
