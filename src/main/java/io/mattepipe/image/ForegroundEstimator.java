package io.mattepipe.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The subject's own colour where the matte is soft, so that a cutout put on another background
 * carries no fringe of the old one: the multilevel method of Germer, Uelwer, Conrad and Harmeling,
 * "Fast Multi-Level Foreground Estimation" (ICPR 2020), as pymatting's {@code estimate_foreground_ml}
 * implements it (same levels, nearest resampling, regularisation, iterations and clamping).
 *
 * <p>One departure, for memory and time on large photos: a level of more than {@code denseLimit}
 * pixels solves only the soft band (0 &lt; α &lt; 255) grown by one pixel; the pixels around it
 * keep what they are known to be (the photo's colour where the matte is 0 or 255) or what the
 * coarser level found. Up to that size every pixel is solved, as pymatting does.
 */
public final class ForegroundEstimator {

    private static final float REGULARIZATION = 1e-5f;
    private static final float GRADIENT_WEIGHT = 1f;
    private static final int SMALL_SIZE = 32;
    private static final int SMALL_ITERATIONS = 10;
    private static final int BIG_ITERATIONS = 2;
    private static final int[] DX = {-1, 1, 0, 0};
    private static final int[] DY = {0, 0, -1, 1};

    private final int denseLimit;

    /** @param denseLimit the largest level, in pixels, that is solved whole */
    public ForegroundEstimator(int denseLimit) {
        if (denseLimit < 1) {
            throw new IllegalArgumentException("dense limit must be positive, got " + denseLimit);
        }
        this.denseLimit = denseLimit;
    }

    /** Solves levels of up to 512 × 512 pixels whole, larger ones in the soft band only. */
    public static ForegroundEstimator standard() {
        return new ForegroundEstimator(512 * 512);
    }

    /**
     * Replaces the colour of every pixel of {@code rgb} ({@code TYPE_INT_RGB}) whose alpha is neither
     * 0 nor 255 with the estimated foreground colour; the other pixels are left as they are.
     */
    public void estimate(BufferedImage rgb, AlphaMatte matte) {
        if (rgb.getWidth() != matte.width() || rgb.getHeight() != matte.height()) {
            throw new IllegalArgumentException("image is " + rgb.getWidth() + "x" + rgb.getHeight()
                    + " but matte is " + matte.width() + "x" + matte.height());
        }
        if (!hasSoftPixel(matte.values())) {
            return;
        }
        Source source = new Source(Cutout.pixels(rgb), matte.values(), matte.width(), matte.height());
        int levels = Math.max(1, (int) Math.ceil(Math.log(Math.max(source.w, source.h)) / Math.log(2)));
        List<Level> solved = new ArrayList<>();
        for (int i = 0; i <= levels; i++) {
            int w = (int) Math.rint(Math.pow(source.w, i / (double) levels));
            int h = (int) Math.rint(Math.pow(source.h, i / (double) levels));
            Level level = (long) w * h <= denseLimit ? Level.dense(source, w, h) : Level.sparse(source, w, h);
            level.initialise(solved);
            int iterations = w <= SMALL_SIZE && h <= SMALL_SIZE ? SMALL_ITERATIONS : BIG_ITERATIONS;
            for (int n = 0; n < iterations; n++) {
                level.iterate();
            }
            solved.add(level);
        }
        solved.get(solved.size() - 1).writeSoftColours(source.rgb);
    }

    private static boolean hasSoftPixel(byte[] alpha) {
        for (byte a : alpha) {
            if (a != 0 && a != (byte) 255) {
                return true;
            }
        }
        return false;
    }

    /** The full-size photo and matte that every level samples by nearest neighbour. */
    private record Source(int[] rgb, byte[] alpha, int w, int h) {
    }

    /** One level of the pyramid: its size, the pixels it solves (slots) and their F and B (RGB, 0..1). */
    private static final class Level {

        final Source source;
        final int w;
        final int h;
        /** source column and row of each of this level's columns and rows (pymatting's nearest resize) */
        final int[] sourceX;
        final int[] sourceY;
        /** sparse levels: slot range of each row, and each slot's column; null when dense */
        final int[] rowStart;
        final int[] columns;
        /** sparse levels: the four neighbours' slots of each slot, ghosts (fixed values) past the active ones */
        int[] neighbours;
        float[] f;
        float[] b;
        final int active;

        private Level(Source source, int w, int h, int[] rowStart, int[] columns, int active) {
            this.source = source;
            this.w = w;
            this.h = h;
            this.sourceX = new int[w];
            this.sourceY = new int[h];
            for (int x = 0; x < w; x++) {
                sourceX[x] = Math.min(source.w - 1, (int) ((long) x * source.w / w));
            }
            for (int y = 0; y < h; y++) {
                sourceY[y] = Math.min(source.h - 1, (int) ((long) y * source.h / h));
            }
            this.rowStart = rowStart;
            this.columns = columns;
            this.active = active;
        }

        static Level dense(Source source, int w, int h) {
            return new Level(source, w, h, null, null, w * h);
        }

        /** The soft pixels of this level and their four neighbours, in raster order. */
        static Level sparse(Source source, int w, int h) {
            Level probe = new Level(source, w, h, null, null, 0);
            int[] rowStart = new int[h + 1];
            int count = 0;
            for (int y = 0; y < h; y++) {
                rowStart[y] = count;
                for (int x = 0; x < w; x++) {
                    if (probe.nearSoft(x, y)) {
                        count++;
                    }
                }
            }
            rowStart[h] = count;
            int[] columns = new int[count];
            int slot = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (probe.nearSoft(x, y)) {
                        columns[slot++] = x;
                    }
                }
            }
            return new Level(source, w, h, rowStart, columns, count);
        }

        boolean dense() {
            return rowStart == null;
        }

        int alpha(int x, int y) {
            return source.alpha[sourceY[y] * source.w + sourceX[x]] & 0xFF;
        }

        int colour(int x, int y) {
            return source.rgb[sourceY[y] * source.w + sourceX[x]];
        }

        private boolean soft(int x, int y) {
            int a = alpha(x, y);
            return a != 0 && a != 255;
        }

        private boolean nearSoft(int x, int y) {
            if (soft(x, y)) {
                return true;
            }
            for (int d = 0; d < 4; d++) {
                int x2 = x + DX[d];
                int y2 = y + DY[d];
                if (x2 >= 0 && x2 < w && y2 >= 0 && y2 < h && soft(x2, y2)) {
                    return true;
                }
            }
            return false;
        }

        /** The slot of (x, y), or -1 where a sparse level does not solve it. */
        int slot(int x, int y) {
            if (dense()) {
                return y * w + x;
            }
            int lo = rowStart[y];
            int hi = rowStart[y + 1] - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = columns[mid];
                if (c < x) {
                    lo = mid + 1;
                } else if (c > x) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }

        /**
         * F and B at (x, y) of this level, into {@code out} (F's RGB then B's): solved where this level
         * solves it; elsewhere the photo's colour for what the matte says is there and the coarser
         * level's estimate for the rest.
         */
        void value(List<Level> coarser, int depth, int x, int y, float[] out) {
            int s = slot(x, y);
            if (s >= 0) {
                System.arraycopy(f, 3 * s, out, 0, 3);
                System.arraycopy(b, 3 * s, out, 3, 3);
                return;
            }
            coarser.get(depth - 1).value(coarser, depth - 1,
                    Math.min(coarser.get(depth - 1).w - 1, (int) ((long) x * coarser.get(depth - 1).w / w)),
                    Math.min(coarser.get(depth - 1).h - 1, (int) ((long) y * coarser.get(depth - 1).h / h)), out);
            int a = alpha(x, y);
            if (a == 255 || a == 0) {
                int c = colour(x, y);
                int offset = a == 255 ? 0 : 3;
                out[offset] = ((c >> 16) & 0xFF) / 255f;
                out[offset + 1] = ((c >> 8) & 0xFF) / 255f;
                out[offset + 2] = (c & 0xFF) / 255f;
            }
        }

        /** Starts from the coarser level's estimate (nearest), or from the photo at the coarsest. */
        void initialise(List<Level> coarser) {
            int ghosts = dense() ? 0 : countGhosts();
            f = new float[3 * (active + ghosts)];
            b = new float[3 * (active + ghosts)];
            float[] value = new float[6];
            for (int y = 0; y < h; y++) {
                int from = dense() ? y * w : rowStart[y];
                int to = dense() ? from + w : rowStart[y + 1];
                for (int s = from; s < to; s++) {
                    int x = dense() ? s - from : columns[s];
                    if (coarser.isEmpty()) {
                        int c = colour(x, y);
                        value[0] = value[3] = ((c >> 16) & 0xFF) / 255f;
                        value[1] = value[4] = ((c >> 8) & 0xFF) / 255f;
                        value[2] = value[5] = (c & 0xFF) / 255f;
                    } else {
                        Level parent = coarser.get(coarser.size() - 1);
                        parent.value(coarser, coarser.size() - 1, Math.min(parent.w - 1, (int) ((long) x * parent.w / w)),
                                Math.min(parent.h - 1, (int) ((long) y * parent.h / h)), value);
                    }
                    store(s, value);
                }
            }
            if (!dense()) {
                linkNeighbours(coarser);
            }
        }

        private int countGhosts() {
            int ghosts = 0;
            for (int y = 0; y < h; y++) {
                for (int s = rowStart[y]; s < rowStart[y + 1]; s++) {
                    for (int d = 0; d < 4; d++) {
                        if (slot(clampX(columns[s] + DX[d]), clampY(y + DY[d])) < 0) {
                            ghosts++;
                        }
                    }
                }
            }
            return ghosts;
        }

        /** Each slot's neighbours: a slot this level solves, or a ghost slot holding the fixed value there. */
        private void linkNeighbours(List<Level> coarser) {
            neighbours = new int[4 * active];
            int ghost = active;
            float[] value = new float[6];
            // a ghost is a pixel this level does not solve: its value comes from the coarser levels,
            // which value() reaches through this level's place in the list
            List<Level> withThis = new ArrayList<>(coarser);
            withThis.add(this);
            for (int y = 0; y < h; y++) {
                for (int s = rowStart[y]; s < rowStart[y + 1]; s++) {
                    for (int d = 0; d < 4; d++) {
                        int x2 = clampX(columns[s] + DX[d]);
                        int y2 = clampY(y + DY[d]);
                        int n = slot(x2, y2);
                        if (n < 0) {
                            value(withThis, withThis.size() - 1, x2, y2, value);
                            store(ghost, value);
                            n = ghost++;
                        }
                        neighbours[4 * s + d] = n;
                    }
                }
            }
        }

        private void store(int s, float[] value) {
            System.arraycopy(value, 0, f, 3 * s, 3);
            System.arraycopy(value, 3, b, 3 * s, 3);
        }

        private int clampX(int x) {
            return Math.max(0, Math.min(w - 1, x));
        }

        private int clampY(int y) {
            return Math.max(0, Math.min(h - 1, y));
        }

        /** One Gauss-Seidel sweep of pymatting's update over the solved pixels, in raster order. */
        void iterate() {
            float[] bf = new float[3];
            float[] bb = new float[3];
            for (int y = 0; y < h; y++) {
                int from = dense() ? y * w : rowStart[y];
                int to = dense() ? from + w : rowStart[y + 1];
                for (int s = from; s < to; s++) {
                    int x = dense() ? s - from : columns[s];
                    float a0 = alpha(x, y) / 255f;
                    float a1 = 1f - a0;
                    float a00 = a0 * a0;
                    float a01 = a0 * a1;
                    float a11 = a1 * a1;
                    int c = colour(x, y);
                    float r = ((c >> 16) & 0xFF) / 255f;
                    float g = ((c >> 8) & 0xFF) / 255f;
                    float bl = (c & 0xFF) / 255f;
                    bf[0] = a0 * r;
                    bf[1] = a0 * g;
                    bf[2] = a0 * bl;
                    bb[0] = a1 * r;
                    bb[1] = a1 * g;
                    bb[2] = a1 * bl;
                    for (int d = 0; d < 4; d++) {
                        int x2 = clampX(x + DX[d]);
                        int y2 = clampY(y + DY[d]);
                        float da = REGULARIZATION + GRADIENT_WEIGHT * Math.abs(a0 - alpha(x2, y2) / 255f);
                        a00 += da;
                        a11 += da;
                        int n = 3 * (dense() ? y2 * w + x2 : neighbours[4 * s + d]);
                        for (int k = 0; k < 3; k++) {
                            bf[k] += da * f[n + k];
                            bb[k] += da * b[n + k];
                        }
                    }
                    float inverse = 1f / (a00 * a11 - a01 * a01);
                    float b00 = inverse * a11;
                    float b01 = -inverse * a01;
                    float b11 = inverse * a00;
                    for (int k = 0; k < 3; k++) {
                        f[3 * s + k] = Math.max(0f, Math.min(1f, b00 * bf[k] + b01 * bb[k]));
                        b[3 * s + k] = Math.max(0f, Math.min(1f, b01 * bf[k] + b11 * bb[k]));
                    }
                }
            }
        }

        /** At full size: the estimated colour into every soft pixel of the photo. */
        void writeSoftColours(int[] rgb) {
            for (int y = 0; y < h; y++) {
                int from = dense() ? y * w : rowStart[y];
                int to = dense() ? from + w : rowStart[y + 1];
                for (int s = from; s < to; s++) {
                    int x = dense() ? s - from : columns[s];
                    if (soft(x, y)) {
                        rgb[y * w + x] = Math.round(f[3 * s] * 255f) << 16 | Math.round(f[3 * s + 1] * 255f) << 8
                                | Math.round(f[3 * s + 2] * 255f);
                    }
                }
            }
        }
    }
}
