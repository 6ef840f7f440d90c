package io.mattepipe.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Solves levels of up to 256 × 256 pixels whole, larger ones in the soft band only (BENCHMARKS.md: time against size). */
    public static ForegroundEstimator standard() {
        return new ForegroundEstimator(256 * 256);
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

    /**
     * One level of the pyramid: its size, the pixels it solves (slots, in raster order) and their F
     * and B (RGB, 0..1). What the update reads of each slot (its alpha, colour, neighbours and their
     * weights) is worked out once per level, so a sweep is arithmetic over arrays.
     */
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
        final int active;
        /** per slot: alpha (0..1), colour (RGB), and per neighbour: its slot (ghosts past the active ones) and weight */
        float[] alpha;
        int[] colour;
        int[] neighbours;
        float[] weights;
        float[] f;
        float[] b;

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
            byte[] above = new byte[w];
            byte[] row = new byte[w];
            byte[] below = new byte[w];
            probe.softRow(0, row);
            int[] rowStart = new int[h + 1];
            int[] columns = new int[Math.max(16, w)];
            int count = 0;
            for (int y = 0; y < h; y++) {
                if (y + 1 < h) {
                    probe.softRow(y + 1, below);
                } else {
                    Arrays.fill(below, (byte) 0);
                }
                rowStart[y] = count;
                for (int x = 0; x < w; x++) {
                    if ((row[x] | above[x] | below[x] | (x > 0 ? row[x - 1] : 0) | (x + 1 < w ? row[x + 1] : 0)) != 0) {
                        if (count == columns.length) {
                            columns = Arrays.copyOf(columns, columns.length * 2);
                        }
                        columns[count++] = x;
                    }
                }
                byte[] spent = above;
                above = row;
                row = below;
                below = spent;
            }
            rowStart[h] = count;
            return new Level(source, w, h, rowStart, columns, count);
        }

        /** 1 where row y's alpha is neither 0 nor 255. */
        private void softRow(int y, byte[] out) {
            int base = sourceY[y] * source.w;
            for (int x = 0; x < w; x++) {
                int a = source.alpha[base + sourceX[x]];
                out[x] = (byte) (a != 0 && a != -1 ? 1 : 0);
            }
        }

        boolean dense() {
            return rowStart == null;
        }

        int alphaAt(int x, int y) {
            return source.alpha[sourceY[y] * source.w + sourceX[x]] & 0xFF;
        }

        int colourAt(int x, int y) {
            return source.rgb[sourceY[y] * source.w + sourceX[x]];
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
         * level's estimate for the rest. {@code depth} is this level's place in {@code levels}.
         */
        void value(List<Level> levels, int depth, int x, int y, float[] out) {
            int s = slot(x, y);
            if (s >= 0) {
                System.arraycopy(f, 3 * s, out, 0, 3);
                System.arraycopy(b, 3 * s, out, 3, 3);
                return;
            }
            Level parent = levels.get(depth - 1);
            parent.value(levels, depth - 1, Math.min(parent.w - 1, (int) ((long) x * parent.w / w)),
                    Math.min(parent.h - 1, (int) ((long) y * parent.h / h)), out);
            int a = alphaAt(x, y);
            if (a == 255 || a == 0) {
                int c = colourAt(x, y);
                int offset = a == 255 ? 0 : 3;
                out[offset] = ((c >> 16) & 0xFF) / 255f;
                out[offset + 1] = ((c >> 8) & 0xFF) / 255f;
                out[offset + 2] = (c & 0xFF) / 255f;
            }
        }

        /**
         * Starts from the coarser level's estimate (nearest), or from the photo at the coarsest, and
         * works out what each sweep reads.
         */
        void initialise(List<Level> coarser) {
            alpha = new float[active];
            colour = new int[active];
            neighbours = new int[4 * active];
            weights = new float[4 * active];
            for (int y = 0; y < h; y++) {
                int from = dense() ? y * w : rowStart[y];
                int to = dense() ? from + w : rowStart[y + 1];
                for (int s = from; s < to; s++) {
                    int x = dense() ? s - from : columns[s];
                    alpha[s] = alphaAt(x, y) / 255f;
                    colour[s] = colourAt(x, y);
                }
            }
            int ghosts = dense() ? 0 : linkSparse();
            if (dense()) {
                linkDense();
            }
            f = new float[3 * (active + ghosts)];
            b = new float[3 * (active + ghosts)];
            float[] value = new float[6];
            Level parent = coarser.isEmpty() ? null : coarser.get(coarser.size() - 1);
            for (int y = 0; y < h; y++) {
                int from = dense() ? y * w : rowStart[y];
                int to = dense() ? from + w : rowStart[y + 1];
                for (int s = from; s < to; s++) {
                    int x = dense() ? s - from : columns[s];
                    if (parent == null) {
                        int c = colour[s];
                        value[0] = value[3] = ((c >> 16) & 0xFF) / 255f;
                        value[1] = value[4] = ((c >> 8) & 0xFF) / 255f;
                        value[2] = value[5] = (c & 0xFF) / 255f;
                    } else {
                        parent.value(coarser, coarser.size() - 1, Math.min(parent.w - 1, (int) ((long) x * parent.w / w)),
                                Math.min(parent.h - 1, (int) ((long) y * parent.h / h)), value);
                    }
                    store(s, value);
                }
            }
            if (ghosts > 0) {
                fillGhosts(coarser);
            }
        }

        private void linkDense() {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int s = y * w + x;
                    link(s, 0, s - (x > 0 ? 1 : 0), alpha[s - (x > 0 ? 1 : 0)]);
                    link(s, 1, s + (x + 1 < w ? 1 : 0), alpha[s + (x + 1 < w ? 1 : 0)]);
                    link(s, 2, s - (y > 0 ? w : 0), alpha[s - (y > 0 ? w : 0)]);
                    link(s, 3, s + (y + 1 < h ? w : 0), alpha[s + (y + 1 < h ? w : 0)]);
                }
            }
        }

        /**
         * Each slot's neighbours: a slot this level solves, found by walking the rows above and below
         * alongside, or a new ghost slot (-1 - ghost index, until {@link #fillGhosts} gives it a value).
         * Returns the number of ghosts.
         */
        private int linkSparse() {
            int ghosts = 0;
            for (int y = 0; y < h; y++) {
                int up = y > 0 ? rowStart[y - 1] : rowStart[y];
                int down = y + 1 < h ? rowStart[y + 1] : rowStart[y];
                for (int s = rowStart[y]; s < rowStart[y + 1]; s++) {
                    int x = columns[s];
                    int left = x == 0 ? s : s > rowStart[y] && columns[s - 1] == x - 1 ? s - 1 : -1;
                    int right = x == w - 1 ? s : s + 1 < rowStart[y + 1] && columns[s + 1] == x + 1 ? s + 1 : -1;
                    int above = s;
                    if (y > 0) {
                        while (up < rowStart[y] && columns[up] < x) {
                            up++;
                        }
                        above = up < rowStart[y] && columns[up] == x ? up : -1;
                    }
                    int below = s;
                    if (y + 1 < h) {
                        while (down < rowStart[y + 2] && columns[down] < x) {
                            down++;
                        }
                        below = down < rowStart[y + 2] && columns[down] == x ? down : -1;
                    }
                    int[] found = {left, right, above, below};
                    for (int d = 0; d < 4; d++) {
                        int x2 = Math.max(0, Math.min(w - 1, x + DX[d]));
                        int y2 = Math.max(0, Math.min(h - 1, y + DY[d]));
                        link(s, d, found[d] >= 0 ? found[d] : active + ghosts++, alphaAt(x2, y2) / 255f);
                        if (found[d] < 0) {
                            // where the ghost is: kept in its weight's place until fillGhosts reads it
                            neighbours[4 * s + d] = -1 - (y2 * w + x2);
                        }
                    }
                }
            }
            return ghosts;
        }

        private void link(int s, int d, int neighbour, float neighbourAlpha) {
            neighbours[4 * s + d] = neighbour;
            weights[4 * s + d] = REGULARIZATION + GRADIENT_WEIGHT * Math.abs(alpha[s] - neighbourAlpha);
        }

        /** Ghosts: pixels this level does not solve, fixed at what the matte and the coarser levels say. */
        private void fillGhosts(List<Level> coarser) {
            List<Level> withThis = new ArrayList<>(coarser);
            withThis.add(this);
            float[] value = new float[6];
            int ghost = active;
            for (int i = 0; i < neighbours.length; i++) {
                if (neighbours[i] < 0) {
                    int pixel = -1 - neighbours[i];
                    value(withThis, withThis.size() - 1, pixel % w, pixel / w, value);
                    store(ghost, value);
                    neighbours[i] = ghost++;
                }
            }
        }

        private void store(int s, float[] value) {
            System.arraycopy(value, 0, f, 3 * s, 3);
            System.arraycopy(value, 3, b, 3 * s, 3);
        }

        /** One Gauss-Seidel sweep of pymatting's update over the solved pixels, in raster order. */
        void iterate() {
            for (int s = 0; s < active; s++) {
                float a0 = alpha[s];
                float a1 = 1f - a0;
                float a00 = a0 * a0;
                float a01 = a0 * a1;
                float a11 = a1 * a1;
                int c = colour[s];
                float r = ((c >> 16) & 0xFF) / 255f;
                float g = ((c >> 8) & 0xFF) / 255f;
                float bl = (c & 0xFF) / 255f;
                float fr = a0 * r;
                float fg = a0 * g;
                float fb = a0 * bl;
                float br = a1 * r;
                float bg = a1 * g;
                float bb = a1 * bl;
                for (int d = 0; d < 4; d++) {
                    float da = weights[4 * s + d];
                    a00 += da;
                    a11 += da;
                    int n = 3 * neighbours[4 * s + d];
                    fr += da * f[n];
                    fg += da * f[n + 1];
                    fb += da * f[n + 2];
                    br += da * b[n];
                    bg += da * b[n + 1];
                    bb += da * b[n + 2];
                }
                float inverse = 1f / (a00 * a11 - a01 * a01);
                float b00 = inverse * a11;
                float b01 = -inverse * a01;
                float b11 = inverse * a00;
                int o = 3 * s;
                f[o] = clamp(b00 * fr + b01 * br);
                f[o + 1] = clamp(b00 * fg + b01 * bg);
                f[o + 2] = clamp(b00 * fb + b01 * bb);
                b[o] = clamp(b01 * fr + b11 * br);
                b[o + 1] = clamp(b01 * fg + b11 * bg);
                b[o + 2] = clamp(b01 * fb + b11 * bb);
            }
        }

        private static float clamp(float v) {
            return Math.max(0f, Math.min(1f, v));
        }

        /** At full size: the estimated colour into every soft pixel of the photo. */
        void writeSoftColours(int[] rgb) {
            for (int y = 0; y < h; y++) {
                int from = dense() ? y * w : rowStart[y];
                int to = dense() ? from + w : rowStart[y + 1];
                for (int s = from; s < to; s++) {
                    int x = dense() ? s - from : columns[s];
                    int a = alphaAt(x, y);
                    if (a != 0 && a != 255) {
                        rgb[y * w + x] = Math.round(f[3 * s] * 255f) << 16 | Math.round(f[3 * s + 1] * 255f) << 8
                                | Math.round(f[3 * s + 2] * 255f);
                    }
                }
            }
        }
    }
}
