package io.mattepipe.image;

/**
 * An 8-bit alpha matte: one unsigned byte per pixel, row-major, 0 = background, 255 = foreground.
 * Kept as raw bytes (not a grey {@code BufferedImage}) because Java's grey colour space makes
 * {@code getRGB} brighten every value; metrics and compositing read these bytes directly.
 */
public record AlphaMatte(int width, int height, byte[] values) {

    public AlphaMatte {
        if (width <= 0 || height <= 0 || values.length != width * height) {
            throw new IllegalArgumentException(
                    "matte of " + width + "x" + height + " needs " + (long) width * height + " values, got " + values.length);
        }
    }

    /** Alpha at (x, y) in 0..255. */
    public int at(int x, int y) {
        return values[y * width + x] & 0xFF;
    }
}
