package io.mattepipe.compare;

import static io.mattepipe.compare.ComparisonRenderer.LABEL_HEIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mattepipe.image.AlphaMatte;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ComparisonRendererTest {

    private static final int COLOUR = 0x0AC81E;
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;
    private static final int YELLOW = 0xFFFF00;

    private final ComparisonRenderer renderer = new ComparisonRenderer();

    @Test
    void tileCountDependsOnGroundTruth() {
        assertEquals(3, ComparisonRenderer.tileCount(false));
        assertEquals(5, ComparisonRenderer.tileCount(true));
    }

    @Test
    void panelWithoutGroundTruthHasThreeTilesOfTheImageAspect() {
        BufferedImage panel = renderer.render(rgbImage(300, 200, COLOUR), constant(300, 200, 255), null, 600);
        // Tiles are 600 / 3 = 200 wide and 200 * 200 / 300 = 133 tall.
        assertEquals(BufferedImage.TYPE_INT_RGB, panel.getType());
        assertEquals(600, panel.getWidth());
        assertEquals(LABEL_HEIGHT + 133, panel.getHeight());
    }

    @Test
    void panelWithGroundTruthHasFiveTiles() {
        BufferedImage panel = renderer.render(rgbImage(300, 200, COLOUR), constant(300, 200, 255),
                constant(300, 200, 255), 600);
        // Tiles are 600 / 5 = 120 wide and 80 tall.
        assertEquals(600, panel.getWidth());
        assertEquals(LABEL_HEIGHT + 80, panel.getHeight());
    }

    @Test
    void aThumbnailIsShownAtItsOwnSizeNotEnlarged() {
        BufferedImage panel = renderer.render(rgbImage(64, 48, COLOUR), constant(64, 48, 255), null, 1200);
        assertEquals(3 * 64, panel.getWidth());
        assertEquals(LABEL_HEIGHT + 48, panel.getHeight());
        assertEquals(COLOUR, rgb(panel, 10, LABEL_HEIGHT + 10), "original, pixel for pixel");
    }

    @Test
    void aSubsampledOriginalFillsTheSameTiles() {
        BufferedImage whole = rgbImage(4000, 3000, COLOUR);
        BufferedImage third = rgbImage(1334, 1000, COLOUR);
        BufferedImage fromWhole = renderer.render(whole, constant(4000, 3000, 255), null, 1200);
        BufferedImage fromThird = renderer.render(third, constant(4000, 3000, 255), null, 1200);
        assertEquals(fromWhole.getWidth(), fromThird.getWidth());
        assertEquals(fromWhole.getHeight(), fromThird.getHeight());
        assertEquals(COLOUR, rgb(fromThird, 200, LABEL_HEIGHT + 150), "original");
        assertEquals(COLOUR, rgb(fromThird, 1000, LABEL_HEIGHT + 150), "cutout");
    }

    @Test
    void anOriginalOfAnotherShapeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> renderer.render(rgbImage(1000, 1000, COLOUR), constant(4000, 3000, 255), null, 1200));
        assertEquals("the image is 1000x1000, neither the matte's 4000x3000 nor a whole fraction of it", e.getMessage());
    }

    @Test
    void twelveMegapixelsRenderIntoTheRequestedWidth() {
        BufferedImage panel = renderer.render(rgbImage(4000, 3000, COLOUR), constant(4000, 3000, 255), null, 1200);
        assertEquals(1200, panel.getWidth());
        assertEquals(LABEL_HEIGHT + 300, panel.getHeight());
        int y = LABEL_HEIGHT + 150;
        assertEquals(COLOUR, rgb(panel, 200, y), "original");
        assertEquals(WHITE, rgb(panel, 400 + 200, y), "alpha of an all-foreground matte");
        assertEquals(COLOUR, rgb(panel, 800 + 200, y), "opaque cutout is the original");
    }

    @Test
    void checkerboardShowsThroughWhereAlphaIsZero() {
        BufferedImage panel = renderer.render(rgbImage(300, 300, COLOUR), constant(300, 300, 0), null, 300);
        int tileX = 100;
        assertEquals(BLACK, rgb(panel, tileX + 50, LABEL_HEIGHT + 50), "alpha tile");
        for (int y = 0; y < 100; y += 3) {
            for (int x = 0; x < 100; x += 3) {
                assertEquals(ComparisonRenderer.checker(x, y), rgb(panel, 2 * tileX + x, LABEL_HEIGHT + y));
            }
        }
        assertEquals(ComparisonRenderer.CHECKER_LIGHT, rgb(panel, 2 * tileX, LABEL_HEIGHT));
        assertEquals(ComparisonRenderer.CHECKER_DARK, rgb(panel, 2 * tileX + ComparisonRenderer.CHECKER_SIZE, LABEL_HEIGHT));
    }

    @Test
    void groundTruthAndErrorTilesShowWhereThePredictionIsWrong() {
        // Ground truth: left half background, right half foreground; prediction: all foreground.
        byte[] truth = new byte[400 * 200];
        for (int y = 0; y < 200; y++) {
            Arrays.fill(truth, y * 400 + 200, y * 400 + 400, (byte) 255);
        }
        BufferedImage panel = renderer.render(rgbImage(400, 200, COLOUR), constant(400, 200, 255),
                new AlphaMatte(400, 200, truth), 1000);
        // Tiles are 200 x 100; the left and right quarters of each lie well inside a half.
        int y = LABEL_HEIGHT + 50;
        assertEquals(BLACK, rgb(panel, 600 + 50, y), "ground truth, background half");
        assertEquals(WHITE, rgb(panel, 600 + 150, y), "ground truth, foreground half");
        assertEquals(YELLOW, rgb(panel, 800 + 50, y), "error 1 is yellow");
        assertEquals(BLACK, rgb(panel, 800 + 150, y), "error 0 is black");
    }

    @Test
    void halfErrorIsRed() {
        BufferedImage panel = renderer.render(rgbImage(100, 100, COLOUR), constant(100, 100, 255),
                constant(100, 100, 128), 500);
        assertEquals(0xFE0000, rgb(panel, 450, LABEL_HEIGHT + 50));
    }

    @Test
    void greyOriginalKeepsItsValues() {
        // getRGB would turn raster value 23 into 85; drawing keeps 23.
        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 64, 64, 0, filled(64 * 64, 23));
        BufferedImage panel = renderer.render(grey, constant(64, 64, 255), null, 192);
        assertEquals(0x171717, rgb(panel, 32, LABEL_HEIGHT + 32));
    }

    @Test
    void otherImageTypesAreConvertedByDrawing() {
        // Taller than one drawing strip, so several strips are read.
        BufferedImage bgr = new BufferedImage(50, 300, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 50; x++) {
                bgr.setRGB(x, y, y < 150 ? COLOUR : 0x123456);
            }
        }
        BufferedImage panel = renderer.render(bgr, constant(50, 300, 255), null, 150);
        // Tiles are 50 x 300, the image's own size.
        assertEquals(COLOUR, rgb(panel, 25, LABEL_HEIGHT + 10));
        assertEquals(0x123456, rgb(panel, 25, LABEL_HEIGHT + 290));
    }

    @Test
    void mattesOfAnotherSizeAreRejected() {
        BufferedImage image = rgbImage(30, 20, COLOUR);
        assertThrows(IllegalArgumentException.class, () -> renderer.render(image, constant(20, 30, 0), null, 300));
        assertThrows(IllegalArgumentException.class,
                () -> renderer.render(image, constant(30, 20, 0), constant(30, 21, 0), 300));
    }

    private static BufferedImage rgbImage(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Arrays.fill(((DataBufferInt) image.getRaster().getDataBuffer()).getData(), rgb);
        return image;
    }

    private static AlphaMatte constant(int width, int height, int value) {
        byte[] values = new byte[width * height];
        Arrays.fill(values, (byte) value);
        return new AlphaMatte(width, height, values);
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }

    private static int rgb(BufferedImage panel, int x, int y) {
        return panel.getRGB(x, y) & 0xFFFFFF;
    }
}
