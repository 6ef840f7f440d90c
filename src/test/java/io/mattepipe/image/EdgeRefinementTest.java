package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Refine edges" pulls a ragged border onto the photo's edge and leaves what is far from the border alone. */
class EdgeRefinementTest {

    private static final int W = 100;
    private static final int H = 60;
    private static final int EDGE = 50;

    /** Dark on the left, bright from x = 50: the photo's edge. */
    private static BufferedImage photo() {
        BufferedImage rgb = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                rgb.setRGB(x, y, x < EDGE ? 0x202020 : 0xE0E0E0);
            }
        }
        return rgb;
    }

    /** The subject is the bright right side, its border shifted by up to ±{@code jitter} pixels per row. */
    private static AlphaMatte matte(int jitter, long seed) {
        Random random = new Random(seed);
        byte[] values = new byte[W * H];
        for (int y = 0; y < H; y++) {
            int border = EDGE + (jitter == 0 ? 0 : random.nextInt(2 * jitter + 1) - jitter);
            for (int x = border; x < W; x++) {
                values[y * W + x] = (byte) 255;
            }
        }
        return new AlphaMatte(W, H, values);
    }

    /** Rows whose border (the first pixel at α ≥ 0.5) lies on the photo's edge. */
    private static int rowsOnThePhotosEdge(AlphaMatte matte) {
        int rows = 0;
        for (int y = 0; y < H; y++) {
            int x = 0;
            while (x < W && matte.at(x, y) < 128) {
                x++;
            }
            rows += x == EDGE ? 1 : 0;
        }
        return rows;
    }

    @Test
    void aRaggedBorderMovesOntoThePhotosEdge() {
        AlphaMatte ragged = matte(4, 7);
        AlphaMatte refined = new EdgeRefinement(8, 1e-3).refine(photo(), ragged);
        int before = rowsOnThePhotosEdge(ragged);
        assertTrue(before < H / 4, "the test's border is ragged: " + before + " rows of " + H + " on the edge");
        assertEquals(H, rowsOnThePhotosEdge(refined), "every row's border on the photo's edge after refining");
    }

    @Test
    void aBorderOnThePhotosEdgeStaysSharpAndFarPixelsStayAsTheyWere() {
        AlphaMatte exact = matte(0, 0);
        AlphaMatte refined = new EdgeRefinement(4, 1e-3).refine(photo(), exact);
        for (int y = 0; y < H; y++) {
            assertTrue(refined.at(EDGE - 2, y) < 10 && refined.at(EDGE + 1, y) > 245,
                    "row " + y + ": " + refined.at(EDGE - 2, y) + ", " + refined.at(EDGE + 1, y));
        }
        // a stroke far from any border (here: a hole brushed into the subject) is not a border of the photo, but
        // the band reaches only twice the radius from the matte's own border
        AlphaMatte ragged = matte(4, 7);
        AlphaMatte refinedRagged = new EdgeRefinement(4, 1e-3).refine(photo(), ragged);
        for (int y = 0; y < H; y++) {
            for (int x : new int[] {0, 20, 35, 65, 80, 99}) {
                assertEquals(ragged.at(x, y), refinedRagged.at(x, y), "(" + x + ", " + y + ") is outside the band");
            }
        }
    }

    @Test
    void boxMeansClipAtTheImagesEdge() {
        float[] values = {1, 2, 3, 4, 5, 6};
        float[] means = EdgeRefinement.boxMean(values, 3, 2, 1, null);
        assertEquals(3.0f, means[0], 1e-6, "(1+2+4+5)/4");
        assertEquals(3.5f, means[1], 1e-6, "all six");
        assertThrows(IllegalArgumentException.class, () -> new EdgeRefinement(0, 1e-3));
    }
}
