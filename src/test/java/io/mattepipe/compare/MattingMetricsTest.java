package io.mattepipe.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mattepipe.image.AlphaMatte;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MattingMetricsTest {

    private static final double EPS = 1e-12;

    // pred                 gt
    // 255 255   0   0      255 255   0   0
    // 255 255   0   0      255 128   0   0
    //   0   0   0   0        0   0   0   0
    //   0   0   0  51        0   0 255   0
    // Three pixels differ: (1,1) by 127, (2,3) by 255, (3,3) by 51.
    private static final AlphaMatte PRED = matte(4, 4,
            255, 255, 0, 0,
            255, 255, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 51);
    private static final AlphaMatte GT = matte(4, 4,
            255, 255, 0, 0,
            255, 128, 0, 0,
            0, 0, 0, 0,
            0, 0, 255, 0);

    @Test
    void sadOfTheSmallPair() {
        // (127 + 255 + 51) / 255 = 433 / 255 = 1.698..., reported / 1000.
        assertEquals(433.0 / 255 / 1000, MattingMetrics.sad(PRED, GT), EPS);
    }

    @Test
    void mseOfTheSmallPair() {
        // (127² + 255² + 51²) / 255² / 16 = (16129 + 65025 + 2601) / 65025 / 16 = 83755 / 1040400.
        assertEquals(83755.0 / 1040400, MattingMetrics.mse(PRED, GT), EPS);
    }

    @Test
    void iouOfTheSmallPair() {
        // Foreground is >= 128. pred: the 2x2 block (4 px). gt: the block, whose 128 counts, and (2,3).
        // Intersection 4, union 5.
        assertEquals(0.8, MattingMetrics.iou(PRED, GT), EPS);
    }

    @Test
    void iouOfTwoEmptyMasksIsOne() {
        AlphaMatte empty = constant(5, 3, 127);
        assertEquals(1.0, MattingMetrics.iou(empty, constant(5, 3, 0)), EPS);
    }

    @Test
    void connectivityCountsAnIsolatedPixelThatOnlyThePredictionHas() {
        // gt: a 2x2 block of 255 in a 5x5 image; pred: the same plus an isolated 255 in a corner.
        // min(pred, gt) is the block at every threshold, so the block keeps l = 1 and every other
        // pixel loses connectivity at the first threshold (l = 0). Only the isolated pixel has
        // d = α - l >= 0.15: in pred d = 1 - 0 = 1, φ = 0; in gt d = 0, φ = 1. Error 1 / 1000.
        int[] gt = new int[25];
        for (int i : new int[] {6, 7, 11, 12}) {
            gt[i] = 255;
        }
        int[] pred = gt.clone();
        pred[24] = 255;
        assertEquals(1.0 / 1000, MattingMetrics.connectivityError(matte(5, 5, pred), matte(5, 5, gt)), EPS);
    }

    @Test
    void connectivityLevelIsTheLastThresholdBeforeThePixelDropsOut() {
        // pred 255 255 102, gt 255 255 255; 102 / 255 = 0.4 exactly. The three pixels form one
        // component up to t = 0.4; at t = 0.5 the third drops out, so its l = 0.4 (the others: 1).
        // Third pixel: pred d = 0.4 - 0.4 = 0, φ = 1; gt d = 1 - 0.4 = 0.6, φ = 0.4. Error 0.6 / 1000.
        AlphaMatte pred = matte(3, 1, 255, 255, 102);
        AlphaMatte gt = matte(3, 1, 255, 255, 255);
        assertEquals(0.6 / 1000, MattingMetrics.connectivityError(pred, gt), 1e-9);
    }

    @Test
    void connectivityIgnoresSmallExcessOverTheLevel() {
        // pred 255 25, gt 255 0: 25 / 255 = 0.098 never reaches 0.1, so pixel 2 gets l = 0 and
        // d = 0.098 < 0.15 leaves φ = 1 in both. No error although the alphas differ.
        assertEquals(0.0, MattingMetrics.connectivityError(matte(2, 1, 255, 25), matte(2, 1, 255, 0)), EPS);
    }

    @Test
    void connectivityBreaksTiesInColumnMajorOrderAsMatlabDoes() {
        // pred          gt
        //   0 0 255       0 0  64
        // 255 0   0     255 0   0
        // min(pred, gt) has two single-pixel components at t = 0.1 and 0.2 (64 / 255 = 0.251):
        // (2,0) and (0,1). Column-major order meets (0,1) first, so it is Ω, and (2,0) gets l = 0.
        // (2,0): pred d = 1, φ = 0; gt d = 64/255 >= 0.15, φ = 1 - 64/255. Error 191/255 / 1000.
        // (Picking (2,0) instead, as a row-major scan would, gives l = 0.2 there and 0.8 / 1000.)
        AlphaMatte pred = matte(3, 2, 0, 0, 255, 255, 0, 0);
        AlphaMatte gt = matte(3, 2, 0, 0, 64, 255, 0, 0);
        assertEquals(191.0 / 255 / 1000, MattingMetrics.connectivityError(pred, gt), 1e-9);
    }

    @Test
    void gradientOfAStepAgainstAConstantMatchesADirect2dFilter() {
        int w = 12;
        int h = 9;
        int[] step = new int[w * h];
        for (int i = 0; i < step.length; i++) {
            step[i] = i % w >= w / 2 ? 255 : 0;
        }
        AlphaMatte stepMatte = matte(w, h, step);
        AlphaMatte constant = constant(w, h, 255);
        double expected = reference2dGradientError(stepMatte, constant);
        assertTrue(expected > 0.001, "a step has a gradient");
        assertEquals(expected, MattingMetrics.gradientError(stepMatte, constant), expected * 1e-5);
    }

    @Test
    void gradientOfRandomMattesMatchesADirect2dFilter() {
        AlphaMatte a = random(17, 11, 1);
        AlphaMatte b = random(17, 11, 2);
        double expected = reference2dGradientError(a, b);
        assertEquals(expected, MattingMetrics.gradientError(a, b), expected * 1e-5);
    }

    @Test
    void identicalMattesHaveNoErrorAndFullOverlap() {
        AlphaMatte a = random(40, 30, 3);
        AlphaMatte copy = new AlphaMatte(40, 30, a.values().clone());
        assertEquals(new GroundTruthFigures(0, 0, 0, 0, 1), MattingMetrics.evaluate(a, copy));
    }

    @Test
    void errorsAreSymmetric() {
        AlphaMatte a = random(33, 21, 4);
        AlphaMatte b = random(33, 21, 5);
        assertEquals(MattingMetrics.sad(a, b), MattingMetrics.sad(b, a), EPS);
        assertEquals(MattingMetrics.mse(a, b), MattingMetrics.mse(b, a), EPS);
        assertEquals(MattingMetrics.gradientError(a, b), MattingMetrics.gradientError(b, a), 1e-9);
        assertEquals(MattingMetrics.iou(a, b), MattingMetrics.iou(b, a), EPS);
    }

    @Test
    void doublingADifferenceDoublesSad() {
        AlphaMatte gt = constant(20, 20, 0);
        int[] small = new int[400];
        int[] large = new int[400];
        for (int i = 100; i < 200; i++) {
            small[i] = 50;
            large[i] = 100;
        }
        double sad = MattingMetrics.sad(matte(20, 20, small), gt);
        assertEquals(100 * 50 / 255.0 / 1000, sad, EPS);
        assertEquals(2 * sad, MattingMetrics.sad(matte(20, 20, large), gt), EPS);
    }

    @Test
    void differentSizesAreRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MattingMetrics.evaluate(constant(4, 3, 0), constant(3, 4, 0)));
        assertTrue(e.getMessage().contains("4x3") && e.getMessage().contains("3x4"), e.getMessage());
    }

    /**
     * compute_gradient_loss written the way the Matlab code reads: a full 2-D kernel
     * hx(i,j) = gauss(i)·dgauss(j) scaled to unit L2 norm, hy its transpose, and
     * imfilter(..., 'replicate', 'conv') as a direct double sum.
     */
    private static double reference2dGradientError(AlphaMatte pred, AlphaMatte gt) {
        double sigma = 1.4;
        int half = (int) Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * 0.01)));
        assertEquals(4, half);
        int size = 2 * half + 1;
        double[][] hx = new double[size][size];
        double norm = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double u1 = i - half;
                double u2 = j - half;
                double gauss = Math.exp(-u1 * u1 / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
                double gaussOfU2 = Math.exp(-u2 * u2 / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
                hx[i][j] = gauss * (-u2 * gaussOfU2 / (sigma * sigma));
                norm += hx[i][j] * hx[i][j];
            }
        }
        double[][] hy = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                hx[i][j] /= Math.sqrt(norm);
            }
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                hy[i][j] = hx[j][i];
            }
        }
        double[][] ampPred = amplitude(pred, hx, hy);
        double[][] ampGt = amplitude(gt, hx, hy);
        double sum = 0;
        for (int y = 0; y < pred.height(); y++) {
            for (int x = 0; x < pred.width(); x++) {
                double d = ampPred[y][x] - ampGt[y][x];
                sum += d * d;
            }
        }
        return sum / 1000;
    }

    private static double[][] amplitude(AlphaMatte m, double[][] hx, double[][] hy) {
        int half = hx.length / 2;
        double[][] amp = new double[m.height()][m.width()];
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                double gx = 0;
                double gy = 0;
                for (int i = -half; i <= half; i++) {
                    for (int j = -half; j <= half; j++) {
                        int sy = Math.min(m.height() - 1, Math.max(0, y - i));
                        int sx = Math.min(m.width() - 1, Math.max(0, x - j));
                        double v = m.at(sx, sy) / 255.0;
                        gx += hx[i + half][j + half] * v;
                        gy += hy[i + half][j + half] * v;
                    }
                }
                amp[y][x] = Math.sqrt(gx * gx + gy * gy);
            }
        }
        return amp;
    }

    static AlphaMatte matte(int width, int height, int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return new AlphaMatte(width, height, bytes);
    }

    static AlphaMatte constant(int width, int height, int value) {
        byte[] bytes = new byte[width * height];
        Arrays.fill(bytes, (byte) value);
        return new AlphaMatte(width, height, bytes);
    }

    private static AlphaMatte random(int width, int height, long seed) {
        byte[] bytes = new byte[width * height];
        new Random(seed).nextBytes(bytes);
        return new AlphaMatte(width, height, bytes);
    }
}
