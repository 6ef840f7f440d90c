package io.mattepipe.image;

import java.util.Locale;

/**
 * Where a cutout's subject goes, as a shop wants every product: a canvas of a fixed size (or a
 * longest side, or the image's own size), the subject scaled so that it fills {@code scalePercent}
 * of the canvas, and placed with its centre at ({@code centreX}, {@code centreY}) percent of the
 * canvas, or standing on its bottom edge.
 *
 * @param width        the canvas width in pixels; 0 with {@code height} 0: see {@code longest}
 * @param longest      with no width and height, the canvas's longest side (its shape the subject's);
 *                     0 keeps the image's own size
 * @param scalePercent how much of the canvas the subject fills: its box fits within this share of
 *                     the canvas's width and height, touching one of them
 */
public record Canvas(int width, int height, int longest, int scalePercent, double centreX, double centreY, boolean bottom) {

    /** Sides up to this: a canvas is drawn in memory at 4 bytes a pixel, twice. */
    public static final int MAX_SIDE = 8000;

    public Canvas {
        if (width < 0 || height < 0 || width > MAX_SIDE || height > MAX_SIDE || (width == 0) != (height == 0)
                || longest < 0 || longest > MAX_SIDE) {
            throw new IllegalArgumentException("size must be WxH or N, 1 to " + MAX_SIDE + " pixels");
        }
        if (scalePercent < 1 || scalePercent > 100) {
            throw new IllegalArgumentException("scale must be 1 to 100 (percent of the canvas), got " + scalePercent);
        }
        if (centreX < 0 || centreX > 100 || centreY < 0 || centreY > 100) {
            throw new IllegalArgumentException("position must be center, bottom or X,Y in percent (0 to 100)");
        }
    }

    /** {@code 2000x2000} or {@code 2000} (the longest side). */
    static int[] parseSize(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            int x = s.indexOf('x');
            int[] size = x < 0 ? new int[] {0, 0, Integer.parseInt(s)} : new int[] {Integer.parseInt(s.substring(0, x)),
                    Integer.parseInt(s.substring(x + 1)), 0};
            if (size[0] >= 1 && size[0] <= MAX_SIDE && size[1] >= 1 && size[1] <= MAX_SIDE
                    || size[2] >= 1 && size[2] <= MAX_SIDE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("size must be WxH (2000x2000) or the longest side (2000), 1 to " + MAX_SIDE
                + " pixels, got '" + text + "'");
    }

    /** {@code center}, {@code bottom} or {@code X,Y} in percent: {x, y, bottom ? 1 : 0}. */
    static double[] parsePosition(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("center") || s.equals("centre")) {
            return new double[] {50, 50, 0};
        }
        if (s.equals("bottom")) {
            return new double[] {50, 100, 1};
        }
        String[] parts = s.split(",");
        try {
            if (parts.length == 2) {
                double x = Double.parseDouble(parts[0].trim());
                double y = Double.parseDouble(parts[1].trim());
                if (x >= 0 && x <= 100 && y >= 0 && y <= 100) {
                    return new double[] {x, y, 0};
                }
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("position must be center, bottom or X,Y in percent of the canvas (50,60), got '"
                + text + "'");
    }
}
