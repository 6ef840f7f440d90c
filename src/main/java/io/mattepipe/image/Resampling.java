package io.mattepipe.image;

/**
 * Bilinear resampling with half-pixel centres ({@code align_corners=False}), the interpolation
 * the IS-Net reference uses on both sides of the model. Works on flat arrays: per-pixel
 * {@code getRGB}/{@code setRGB} would cost more than the arithmetic.
 */
public final class Resampling {

    private Resampling() {
    }

    /**
     * Resizes packed {@code 0xRRGGBB} pixels to {@code size × size} and writes them planar
     * (R plane, G plane, B plane) into {@code out} at {@code offset}, as {@code v * scale - mean[c]) / std[c]}.
     */
    public static void rgbToPlanar(int[] rgb, int width, int height, int size,
                                   float scale, float[] mean, float[] std, float[] out, int offset) {
        int plane = size * size;
        Axis xs = new Axis(width, size);
        Axis ys = new Axis(height, size);
        float[] a = new float[3];
        float[] b = new float[3];
        for (int c = 0; c < 3; c++) {
            a[c] = scale / std[c];
            b[c] = -mean[c] / std[c];
        }
        for (int oy = 0; oy < size; oy++) {
            int r0 = ys.lo[oy] * width;
            int r1 = ys.hi[oy] * width;
            float fy = ys.frac[oy];
            for (int ox = 0; ox < size; ox++) {
                int x0 = xs.lo[ox];
                int x1 = xs.hi[ox];
                float fx = xs.frac[ox];
                int p00 = rgb[r0 + x0];
                int p01 = rgb[r0 + x1];
                int p10 = rgb[r1 + x0];
                int p11 = rgb[r1 + x1];
                int i = offset + oy * size + ox;
                for (int c = 0, shift = 16; c < 3; c++, shift -= 8) {
                    float top = lerp((p00 >> shift) & 0xFF, (p01 >> shift) & 0xFF, fx);
                    float bottom = lerp((p10 >> shift) & 0xFF, (p11 >> shift) & 0xFF, fx);
                    out[i + c * plane] = lerp(top, bottom, fy) * a[c] + b[c];
                }
            }
        }
    }

    /** Resizes a {@code size × size} map of values in 0..1 to {@code width × height} bytes 0..255. */
    public static byte[] unitToBytes(float[] map, int offset, int size, int width, int height) {
        byte[] out = new byte[width * height];
        Axis xs = new Axis(size, width);
        Axis ys = new Axis(size, height);
        for (int oy = 0; oy < height; oy++) {
            int r0 = offset + ys.lo[oy] * size;
            int r1 = offset + ys.hi[oy] * size;
            float fy = ys.frac[oy];
            for (int ox = 0; ox < width; ox++) {
                int x0 = xs.lo[ox];
                int x1 = xs.hi[ox];
                float fx = xs.frac[ox];
                float top = lerp(map[r0 + x0], map[r0 + x1], fx);
                float bottom = lerp(map[r1 + x0], map[r1 + x1], fx);
                float v = lerp(top, bottom, fy) * 255f + 0.5f;
                out[oy * width + ox] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) v);
            }
        }
        return out;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    /** Source neighbours and weight of every destination coordinate along one axis, computed once. */
    private static final class Axis {
        final int[] lo;
        final int[] hi;
        final float[] frac;

        Axis(int from, int to) {
            lo = new int[to];
            hi = new int[to];
            frac = new float[to];
            double scale = (double) from / to;
            for (int i = 0; i < to; i++) {
                double src = Math.max((i + 0.5) * scale - 0.5, 0);
                int l = Math.min((int) src, from - 1);
                lo[i] = l;
                hi[i] = Math.min(l + 1, from - 1);
                frac[i] = (float) (src - l);
            }
        }
    }
}
