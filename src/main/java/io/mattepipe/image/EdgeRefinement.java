package io.mattepipe.image;

import java.awt.image.BufferedImage;

/**
 * "Refine edges": re-fits a matte's border to the photo with a guided filter (He, Sun and Tang,
 * "Guided Image Filtering", ECCV 2010) on the photo's luminance, inside a band around the border
 * only: where the matte is clearly in or out, it is left as it is, so a brush stroke stays a brush
 * stroke. No model runs. Each local window fits the matte as a linear function of the photo's
 * brightness, so an edge follows the photo's edge wherever the photo has one.
 */
public final class EdgeRefinement {

    private final int radius;
    private final double epsilon;

    /**
     * @param radius  half the side of the filter's window, in pixels; the band reaches twice as far from the border
     * @param epsilon the regularisation of the guided filter (brightness and matte in 0..1): larger keeps the matte smoother
     */
    public EdgeRefinement(int radius, double epsilon) {
        if (radius < 1 || !(epsilon > 0)) {
            throw new IllegalArgumentException("radius must be >= 1 and epsilon > 0, got " + radius + " and " + epsilon);
        }
        this.radius = radius;
        this.epsilon = epsilon;
    }

    /** A refined copy of {@code matte}; {@code rgb} is the upright photo of the same size. */
    public AlphaMatte refine(BufferedImage rgb, AlphaMatte matte) {
        int w = matte.width();
        int h = matte.height();
        if (rgb.getWidth() != w || rgb.getHeight() != h) {
            throw new IllegalArgumentException("the photo is " + rgb.getWidth() + "x" + rgb.getHeight() + " but the matte " + w + "x" + h);
        }
        int n = w * h;
        float[] guide = new float[n];
        float[] alpha = new float[n];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                int i = y * w + x;
                guide[i] = (float) ((0.299 * ((c >> 16) & 0xFF) + 0.587 * ((c >> 8) & 0xFF) + 0.114 * (c & 0xFF)) / 255.0);
                alpha[i] = (matte.values()[i] & 0xFF) / 255f;
            }
        }
        // floats, and buffers reused as soon as they are spent: about 6 floats a pixel at once
        float[] meanGuide = boxMean(guide, w, h, radius, null);
        float[] meanAlpha = boxMean(alpha, w, h, radius, null);
        float[] scratch = new float[n];
        for (int i = 0; i < n; i++) {
            scratch[i] = guide[i] * alpha[i];
        }
        float[] meanProduct = boxMean(scratch, w, h, radius, null);
        for (int i = 0; i < n; i++) {
            scratch[i] = guide[i] * guide[i];
        }
        float[] meanSquare = boxMean(scratch, w, h, radius, scratch);
        // a into meanProduct, b into meanSquare
        for (int i = 0; i < n; i++) {
            double variance = meanSquare[i] - (double) meanGuide[i] * meanGuide[i];
            double covariance = meanProduct[i] - (double) meanGuide[i] * meanAlpha[i];
            double a = covariance / (variance + epsilon);
            meanProduct[i] = (float) a;
            meanSquare[i] = (float) (meanAlpha[i] - a * meanGuide[i]);
        }
        float[] meanA = boxMean(meanProduct, w, h, radius, meanGuide);
        float[] meanB = boxMean(meanSquare, w, h, radius, meanAlpha);
        // the band: pixels with both sides of the border within twice the radius
        for (int i = 0; i < n; i++) {
            meanProduct[i] = alpha[i] >= 0.5f ? 1 : 0;
        }
        float[] near = boxMean(meanProduct, w, h, 2 * radius, meanSquare);
        byte[] refined = matte.values().clone();
        for (int i = 0; i < n; i++) {
            if (near[i] > 0 && near[i] < 1) {
                double q = meanA[i] * guide[i] + meanB[i];
                refined[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, q)));
            }
        }
        return new AlphaMatte(w, h, refined);
    }

    /**
     * The mean over the (2r+1)² window around each pixel, clipped at the image's edge, from a
     * summed-area table in doubles (float sums lose the low bits over millions of pixels); written
     * into {@code into} (which may be {@code values}) or a new array.
     */
    static float[] boxMean(float[] values, int w, int h, int r, float[] into) {
        double[] sums = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double rowSum = 0;
            for (int x = 0; x < w; x++) {
                rowSum += values[y * w + x];
                sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + rowSum;
            }
        }
        float[] means = into != null ? into : new float[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - r);
            int y1 = Math.min(h, y + r + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r);
                int x1 = Math.min(w, x + r + 1);
                double sum = sums[y1 * (w + 1) + x1] - sums[y0 * (w + 1) + x1] - sums[y1 * (w + 1) + x0] + sums[y0 * (w + 1) + x0];
                means[y * w + x] = (float) (sum / ((y1 - y0) * (x1 - x0)));
            }
        }
        return means;
    }
}
