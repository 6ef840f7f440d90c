package io.mattepipe.compare;

import io.mattepipe.image.AlphaMatte;

/**
 * The matting errors of Rhemann et al., "A Perceptually Motivated Online Benchmark for Image
 * Matting" (CVPR 2009), as computed by the alphamatting.com / Deep Image Matting evaluation code
 * ({@code compute_sad_loss}, {@code compute_mse_loss}, {@code compute_gradient_loss},
 * {@code compute_connectivity_error}), plus the IoU of the binary masks.
 *
 * <p>Two deliberate differences from that code: errors are taken over the <em>whole</em> image,
 * because this tool has no trimap (the benchmark scores only the trimap's unknown region, so
 * figures here are not comparable with published tables), and alpha is always the byte value
 * ÷ 255, including for the gradient error (the Matlab code stretches each matte to its own
 * min..max with {@code mat2gray}, which changes nothing for mattes that reach 0 and 255 and is
 * meaningless for a constant one).
 */
public final class MattingMetrics {

    /** The benchmark reports SAD, gradient and connectivity errors in thousands. */
    private static final double SCALE = 1000.0;

    private static final double GRADIENT_SIGMA = 1.4;

    /** Threshold step 0.1: connectivity levels are 0.1, 0.2, ..., 1.0. */
    private static final int LEVELS = 10;

    /** Pixels within this distance above their connectivity level count as fully connected. */
    private static final double CONNECTIVITY_TOLERANCE = 0.15;

    /** α ≥ 0.5 is foreground: v / 255 ≥ 0.5 holds from v = 128 on. */
    static final int FOREGROUND_MIN = 128;

    private MattingMetrics() {
    }

    /** All figures of {@code predicted} against {@code groundTruth}. */
    public static GroundTruthFigures evaluate(AlphaMatte predicted, AlphaMatte groundTruth) {
        return new GroundTruthFigures(
                sad(predicted, groundTruth),
                mse(predicted, groundTruth),
                gradientError(predicted, groundTruth),
                connectivityError(predicted, groundTruth),
                iou(predicted, groundTruth));
    }

    /**
     * Sum of absolute differences, Σ|α − g| ÷ 1000, with α and g in [0, 1] (alphamatting.com
     * {@code compute_sad_loss}, reported in thousands).
     */
    public static double sad(AlphaMatte predicted, AlphaMatte groundTruth) {
        requireSameSize(predicted, groundTruth);
        byte[] a = predicted.values();
        byte[] g = groundTruth.values();
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (g[i] & 0xFF));
        }
        return sum / 255.0 / SCALE;
    }

    /**
     * Mean squared error, mean of (α − g)² with α and g in [0, 1] (alphamatting.com
     * {@code compute_mse_loss}, with every pixel of the image as the region).
     */
    public static double mse(AlphaMatte predicted, AlphaMatte groundTruth) {
        requireSameSize(predicted, groundTruth);
        byte[] a = predicted.values();
        byte[] g = groundTruth.values();
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xFF) - (g[i] & 0xFF);
            sum += d * d;
        }
        return sum / (255.0 * 255.0) / a.length;
    }

    /**
     * Gradient error, Σ(|∇α| − |∇g|)² ÷ 1000 (alphamatting.com {@code compute_gradient_loss}).
     * Gradients come from {@code gaussgradient(img, 1.4)}: first-derivative-of-Gaussian kernels
     * with σ = 1.4 and half-size ⌈σ·√(−2·ln(√(2π)·σ·0.01))⌉ = 4, each 2-D kernel scaled to unit
     * L2 norm, applied as a convolution with replicated borders. The 2-D kernel is the outer
     * product of a Gaussian and its derivative, so it is applied here as two 1-D passes.
     */
    public static double gradientError(AlphaMatte predicted, AlphaMatte groundTruth) {
        requireSameSize(predicted, groundTruth);
        GaussGradient filter = new GaussGradient(predicted.width(), predicted.height());
        float[] a = filter.magnitude(predicted);
        float[] g = filter.magnitude(groundTruth);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - g[i];
            sum += d * d;
        }
        return sum / SCALE;
    }

    /**
     * Connectivity error with threshold step 0.1 (alphamatting.com
     * {@code compute_connectivity_error}), ÷ 1000. For each threshold t = 0.1, ..., 1.0 the
     * source-of-connectivity Ω_t is the largest 4-connected component of (α ≥ t ∧ g ≥ t); a pixel's
     * level l is the last threshold before the first one at which it is outside Ω_t (1 if never).
     * With d = α − l, φ = 1 − d when d ≥ 0.15 and 1 otherwise, and the error is Σ|φ(α) − φ(g)|.
     * As in Matlab's {@code bwconncomp}/{@code max}, equal-sized components are resolved in favour
     * of the one met first in column-major order; no component at all leaves Ω_t empty.
     */
    public static double connectivityError(AlphaMatte predicted, AlphaMatte groundTruth) {
        requireSameSize(predicted, groundTruth);
        byte[] a = predicted.values();
        byte[] g = groundTruth.values();
        int n = a.length;
        // The number of thresholds k/10 both alphas reach: v/255 >= k/10 exactly when 10v >= 255k.
        byte[] reached = new byte[n];
        // Each pixel's l in tenths; it stays 10 (l = 1) for as long as the pixel stays connected.
        byte[] level = new byte[n];
        for (int i = 0; i < n; i++) {
            reached[i] = (byte) (LEVELS * Math.min(a[i] & 0xFF, g[i] & 0xFF) / 255);
            level[i] = LEVELS;
        }
        ComponentLabels labels = new ComponentLabels(predicted.width(), predicted.height());
        int connected = n;
        for (int k = 1; k <= LEVELS && connected > 0; k++) {
            labels.label(reached, k, false);
            int omega = largestComponent(labels, predicted.width(), predicted.height());
            for (int i = 0; i < n; i++) {
                if (level[i] == LEVELS && (omega < 0 || labels.rootOf(i) != omega)) {
                    level[i] = (byte) (k - 1);
                    connected--;
                }
            }
        }
        double[][] phi = phiTable();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] atLevel = phi[level[i]];
            sum += Math.abs(atLevel[a[i] & 0xFF] - atLevel[g[i] & 0xFF]);
        }
        return sum / SCALE;
    }

    /**
     * Intersection over union of the foreground masks at α ≥ 0.5 (byte value ≥ 128). Two empty
     * masks agree perfectly, so they score 1.
     */
    public static double iou(AlphaMatte predicted, AlphaMatte groundTruth) {
        requireSameSize(predicted, groundTruth);
        byte[] a = predicted.values();
        byte[] g = groundTruth.values();
        int intersection = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            boolean inA = (a[i] & 0xFF) >= FOREGROUND_MIN;
            boolean inG = (g[i] & 0xFF) >= FOREGROUND_MIN;
            if (inA && inG) {
                intersection++;
            }
            if (inA || inG) {
                union++;
            }
        }
        return union == 0 ? 1.0 : (double) intersection / union;
    }

    private static void requireSameSize(AlphaMatte predicted, AlphaMatte groundTruth) {
        if (predicted.width() != groundTruth.width() || predicted.height() != groundTruth.height()) {
            throw new IllegalArgumentException("predicted matte is " + predicted.width() + "x" + predicted.height()
                    + " but ground truth is " + groundTruth.width() + "x" + groundTruth.height());
        }
    }

    /** The root of the largest component (ties: first in column-major order), or -1 if none. */
    private static int largestComponent(ComponentLabels labels, int width, int height) {
        int best = -1;
        int ties = 0;
        for (int k = 0; k < labels.componentCount(); k++) {
            int root = labels.root(k);
            if (best < 0 || labels.size(root) > labels.size(best)) {
                best = root;
                ties = 0;
            } else if (labels.size(root) == labels.size(best)) {
                ties++;
            }
        }
        return ties == 0 ? best : firstInColumnMajorOrder(labels, labels.size(best), width, height);
    }

    /** Ties are rare, so the column-major scan they need is paid only then. */
    private static int firstInColumnMajorOrder(ComponentLabels labels, int size, int width, int height) {
        for (int x = 0; x < width; x++) {
            for (int i = x; i < width * height; i += width) {
                int root = labels.rootOf(i);
                if (root >= 0 && labels.size(root) == size) {
                    return root;
                }
            }
        }
        throw new IllegalStateException("no component of size " + size);
    }

    /** φ for every connectivity level 0..10 and byte alpha, so the final sum is two lookups a pixel. */
    private static double[][] phiTable() {
        double[][] phi = new double[LEVELS + 1][256];
        for (int level = 0; level <= LEVELS; level++) {
            for (int v = 0; v < 256; v++) {
                double d = v / 255.0 - level / (double) LEVELS;
                phi[level][v] = d >= CONNECTIVITY_TOLERANCE ? 1 - d : 1;
            }
        }
        return phi;
    }

    /**
     * {@code gaussgradient(img, 1.4)} as separable passes. The x kernel is gauss(row)·dgauss(column)
     * and the y kernel its transpose, so one pass along rows yields both the derivative and the
     * smoothing that the pass along columns then crosses over. Kernels are stored by offset
     * 0..half: the Gaussian is even and its derivative odd, which halves the multiplications.
     */
    private static final class GaussGradient {

        private final int width;
        private final int height;
        private final int half;
        private final float[] gauss;
        private final float[] derivative;
        private final float[] padded;
        private final float[] smoothedRows;
        private final float[] derivedRows;
        private final float[] gx;
        private final float[] gy;

        GaussGradient(int width, int height) {
            this.width = width;
            this.height = height;
            double sigma = GRADIENT_SIGMA;
            half = (int) Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * 0.01)));
            double[] g = new double[half + 1];
            double[] dg = new double[half + 1];
            double gNorm = 0;
            double dgNorm = 0;
            for (int u = 0; u <= half; u++) {
                g[u] = Math.exp(-u * u / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
                dg[u] = -u * g[u] / (sigma * sigma);
                int copies = u == 0 ? 1 : 2;
                gNorm += copies * g[u] * g[u];
                dgNorm += copies * dg[u] * dg[u];
            }
            // The 2-D kernel's L2 norm is the product of its factors' norms: normalise each factor.
            gauss = scaled(g, 1 / Math.sqrt(gNorm));
            derivative = scaled(dg, 1 / Math.sqrt(dgNorm));
            padded = new float[width + 2 * half];
            smoothedRows = new float[width * height];
            derivedRows = new float[width * height];
            gx = new float[width];
            gy = new float[width];
        }

        float[] magnitude(AlphaMatte matte) {
            byte[] values = matte.values();
            for (int y = 0; y < height; y++) {
                filterRow(values, y * width);
            }
            float[] magnitude = new float[width * height];
            for (int y = 0; y < height; y++) {
                filterColumns(y);
                int row = y * width;
                for (int x = 0; x < width; x++) {
                    magnitude[row + x] = (float) Math.sqrt(gx[x] * gx[x] + gy[x] * gy[x]);
                }
            }
            return magnitude;
        }

        /**
         * Convolution of one row with replicated borders, out(x) = Σ k(u)·in(x − u): for the odd
         * derivative that is Σ k(u)·(in(x − u) − in(x + u)) over u > 0.
         */
        private void filterRow(byte[] values, int row) {
            for (int x = 0; x < width; x++) {
                padded[half + x] = (values[row + x] & 0xFF) / 255f;
            }
            for (int j = 0; j < half; j++) {
                padded[j] = padded[half];
                padded[half + width + j] = padded[half + width - 1];
            }
            float[] smoothed = smoothedRows;
            float[] derived = derivedRows;
            float[] in = padded;
            float g0 = gauss[0];
            for (int x = 0; x < width; x++) {
                smoothed[row + x] = g0 * in[half + x];
                derived[row + x] = 0;
            }
            for (int u = 1; u <= half; u++) {
                float g = gauss[u];
                float d = derivative[u];
                int before = half - u;
                int after = half + u;
                for (int x = 0; x < width; x++) {
                    float a = in[before + x];
                    float b = in[after + x];
                    smoothed[row + x] += g * (a + b);
                    derived[row + x] += d * (a - b);
                }
            }
        }

        /** The column pass for output row y: smoothing the x-derivatives, deriving the smoothed rows. */
        private void filterColumns(int y) {
            int row = y * width;
            float[] smoothed = smoothedRows;
            float[] derived = derivedRows;
            float[] outX = gx;
            float[] outY = gy;
            float g0 = gauss[0];
            for (int x = 0; x < width; x++) {
                outX[x] = g0 * derived[row + x];
                outY[x] = 0;
            }
            for (int u = 1; u <= half; u++) {
                int before = Math.max(0, y - u) * width;
                int after = Math.min(height - 1, y + u) * width;
                float g = gauss[u];
                float d = derivative[u];
                for (int x = 0; x < width; x++) {
                    outX[x] += g * (derived[before + x] + derived[after + x]);
                    outY[x] += d * (smoothed[before + x] - smoothed[after + x]);
                }
            }
        }

        private static float[] scaled(double[] kernel, double factor) {
            float[] out = new float[kernel.length];
            for (int i = 0; i < kernel.length; i++) {
                out[i] = (float) (kernel[i] * factor);
            }
            return out;
        }
    }
}
