package io.mattepipe.app;

import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images are admitted by the pixels they decode to: a big one waits for room, one over the budget runs alone. */
class PixelBudgetTest {

    @TempDir
    Path root;

    @Test
    void aBigImageWaitsUntilTheSmallerOnesInFlightAreDone() throws Exception {
        PixelBudget budget = new PixelBudget(100);
        long small = budget.acquire(60);
        CompletableFuture<Long> big = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.acquire(70);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> big.get(300, TimeUnit.MILLISECONDS),
                "60 + 70 pixels do not fit a budget of 100");
        budget.release(small);
        assertEquals(70, big.get(10, TimeUnit.SECONDS));
        assertEquals(70, budget.inUse());
    }

    @Test
    void anImageLargerThanTheBudgetIsAdmittedAloneAndAnUnreadableHeaderCountsOne() throws Exception {
        PixelBudget budget = new PixelBudget(100);
        long huge = budget.acquire(196_000_000);
        assertEquals(100, huge, "admitted, with the whole budget");
        budget.release(huge);
        assertEquals(1, budget.acquire(0));
        assertFalse(budget.inUse() > 1);
        assertThrows(IllegalArgumentException.class, () -> new PixelBudget(0));
    }

    /**
     * The comparison decodes the original too: it waits in the same budget as the matting (one
     * heap), and runs once the image in the model is done.
     */
    @Test
    void theComparisonWaitsForRoomInTheBudgetTheMattingShares() throws Exception {
        DataLayout layout = new DataLayout(root);
        Path chunk = Files.createDirectories(layout.chunks("job1")).resolve("000000.png");
        Files.write(chunk, TestArchives.image("png", 40, 30));
        Files.createDirectories(layout.cutouts("job1"));
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB), "png", layout.cutout("job1", "000000").toFile());
        PixelBudget budget = new PixelBudget(1500);
        ComparisonStage comparison = new ComparisonStage(new ImageDecoder(1_000_000), new ImageEncoder(1, 0.9f), layout, 100,
                io.mattepipe.model.StageTimer.NONE, budget);
        long inTheModel = budget.acquire(1000);
        CompletableFuture<ComparisonStage.Figures> compared = CompletableFuture.supplyAsync(() -> {
            try {
                return comparison.compare(Map.of("job_id", "job1", "task_id", "000000", "name", "a.png",
                        "chunk", layout.relativize(chunk)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (budget.waiting() == 0) {
            assertFalse(compared.isDone(), "1000 + 1200 pixels do not fit a budget of 1500: " + compared);
            Thread.onSpinWait();
        }
        assertFalse(compared.isDone(), "compared while the matting held the room");
        assertFalse(Files.exists(layout.panel("job1", "000000")));
        budget.release(inTheModel);
        assertEquals(0.0, compared.get(30, TimeUnit.SECONDS).foregroundFraction(), "a transparent cutout has no foreground");
        assertTrue(Files.isRegularFile(layout.panel("job1", "000000")), "the panel is written once admitted");
        assertEquals(0, budget.inUse());
    }
}
