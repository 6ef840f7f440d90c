package io.mattepipe.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mattepipe.image.AlphaMatte;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskStatisticsTest {

    private static final int SIZE = 100;

    @Test
    void emptyMaskIsFlaggedEmptyOnly() {
        MaskFigures figures = MaskStatistics.of(new Canvas().matte());
        assertEquals(0.0, figures.foregroundFraction());
        assertEquals(0, figures.components());
        assertEquals(0.0, figures.largestComponentShare());
        assertEquals(List.of(MaskStatistics.EMPTY), figures.warnings());
    }

    @Test
    void fullMaskIsFlaggedFull() {
        MaskFigures figures = MaskStatistics.of(new Canvas().fill(0, 0, SIZE, SIZE, 255).matte());
        assertEquals(1.0, figures.foregroundFraction());
        assertEquals(1, figures.components());
        assertEquals(1.0, figures.largestComponentShare());
        assertEquals(List.of(MaskStatistics.FULL), figures.warnings());
    }

    @Test
    void oneCleanSubjectRaisesNothing() {
        MaskFigures figures = MaskStatistics.of(new Canvas().fill(20, 20, 60, 50, 255).matte());
        assertEquals(0.3, figures.foregroundFraction(), 1e-12);
        assertEquals(0.0, figures.uncertainFraction());
        assertEquals(1, figures.components());
        assertEquals(List.of(), figures.warnings());
    }

    @Test
    void twoEqualBlobsAreFragmented() {
        MaskFigures figures = MaskStatistics.of(new Canvas().fill(0, 0, 30, 30, 255).fill(60, 60, 30, 30, 255).matte());
        assertEquals(2, figures.components());
        assertEquals(0.5, figures.largestComponentShare());
        assertEquals(List.of(MaskStatistics.FRAGMENTED), figures.warnings());
    }

    @Test
    void blobsTouchingAtACornerAreOneComponent() {
        MaskFigures figures = MaskStatistics.of(new Canvas().fill(0, 0, 30, 30, 255).fill(30, 30, 30, 30, 255).matte());
        assertEquals(1, figures.components());
        assertEquals(1.0, figures.largestComponentShare());
        assertEquals(List.of(), figures.warnings());
    }

    @Test
    void specksBelowATenthOfAPercentAreNotCountedButStillShareTheArea() {
        // 9 pixels are 0.09% of 10 000: noise, not a component, but foreground all the same.
        MaskFigures figures = MaskStatistics.of(new Canvas().fill(10, 10, 50, 50, 255).fill(90, 90, 3, 3, 255).matte());
        assertEquals(1, figures.components());
        assertEquals(2500.0 / 2509, figures.largestComponentShare(), 1e-12);
        assertEquals(List.of(), figures.warnings());
    }

    @Test
    void manySmallBlobsAreFragmentedEvenWithADominantOne() {
        Canvas canvas = new Canvas().fill(0, 0, 100, 70, 255);
        for (int i = 0; i < 6; i++) {
            canvas.fill(i * 16, 80, 4, 4, 255);
        }
        MaskFigures figures = MaskStatistics.of(canvas.matte());
        assertEquals(7, figures.components());
        assertEquals(List.of(MaskStatistics.FRAGMENTED), figures.warnings());
    }

    @Test
    void anUndecidedMaskIsSoft() {
        MaskFigures figures = MaskStatistics.of(new Canvas().fill(0, 0, SIZE, SIZE, 128).matte());
        assertEquals(128 / 255.0, figures.foregroundFraction(), 1e-12);
        assertEquals(1.0, figures.uncertainFraction());
        assertEquals(List.of(MaskStatistics.SOFT), figures.warnings());
    }

    @Test
    void uncertaintyExcludesNearlyOpaqueAndNearlyClearPixels() {
        // 0.05 < α < 0.95 holds for 13..242: 12 and 243 are certain.
        Canvas canvas = new Canvas().fill(0, 0, 50, SIZE, 12).fill(50, 0, 50, SIZE, 243);
        assertEquals(0.0, MaskStatistics.of(canvas.matte()).uncertainFraction());
        canvas.fill(0, 0, 1, SIZE, 13).fill(99, 0, 1, SIZE, 242);
        assertEquals(0.02, MaskStatistics.of(canvas.matte()).uncertainFraction(), 1e-12);
    }

    /** A 100x100 matte drawn with rectangles. */
    static final class Canvas {
        private final byte[] values = new byte[SIZE * SIZE];

        Canvas fill(int x0, int y0, int width, int height, int value) {
            for (int y = y0; y < y0 + height; y++) {
                for (int x = x0; x < x0 + width; x++) {
                    values[y * SIZE + x] = (byte) value;
                }
            }
            return this;
        }

        AlphaMatte matte() {
            return new AlphaMatte(SIZE, SIZE, values.clone());
        }
    }
}
