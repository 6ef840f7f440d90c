package io.mattepipe.compare;

import io.mattepipe.image.AlphaMatte;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.List;

/**
 * Renders the before/after panel of one image: original | predicted alpha | cutout over a
 * checkerboard, and with a ground truth also | ground-truth alpha | error heat map, each tile
 * under a small label.
 *
 * <p>Every full-size input is read once, a row at a time, and box-averaged straight down to the
 * tile size; compositing happens on those small copies. A 12-megapixel photo therefore costs one
 * pass over its pixels and no image-sized allocation.
 */
public final class ComparisonRenderer {

    /** Height of the label strip above the tiles; tiles start at this y. */
    public static final int LABEL_HEIGHT = 18;

    static final int CHECKER_SIZE = 8;
    static final int CHECKER_LIGHT = 0xFFFFFF;
    static final int CHECKER_DARK = 0xC8C8C8;

    private static final int BACKGROUND = 0x202020;
    private static final int LABEL_PADDING = 4;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final List<String> LABELS = List.of("original", "alpha", "cutout", "ground truth", "error");

    /** Rows per strip when an image must be converted by drawing: enough to amortise each draw. */
    private static final int STRIP_ROWS = 64;

    /** The number of tiles in a panel: three, or five when a ground truth is shown. */
    public static int tileCount(boolean withGroundTruth) {
        return withGroundTruth ? 5 : 3;
    }

    /**
     * The panel for one image, at most {@code panelWidth} wide, as {@code TYPE_INT_RGB}. Each tile is
     * {@code panelWidth / tileCount} wide, or the image's own width if that is less (a thumbnail is
     * shown as it is, not blown up into blocks), and as tall as the image's aspect makes it; the
     * panel is {@link #LABEL_HEIGHT} taller than a tile.
     *
     * @param original          the photo at the mattes' size, or subsampled by a whole factor
     *                          ({@link io.mattepipe.image.ImageDecoder#decode(java.nio.file.Path, int)}):
     *                          its tile is never larger than a fraction of the panel
     * @param groundTruthOrNull the ground-truth alpha, or null to leave its two tiles out
     * @throws IllegalArgumentException if the ground truth's size differs from the predicted
     *                                  matte's, the original is not that size or a whole fraction of
     *                                  it, or the panel is narrower than one pixel per tile
     */
    public BufferedImage render(BufferedImage original, AlphaMatte predicted, AlphaMatte groundTruthOrNull,
                                int panelWidth) {
        int width = predicted.width();
        int height = predicted.height();
        requireFraction(original, width, height);
        boolean withGroundTruth = groundTruthOrNull != null;
        if (withGroundTruth) {
            requireSize(groundTruthOrNull, width, height, "ground-truth");
        }
        int tiles = tileCount(withGroundTruth);
        if (panelWidth < tiles) {
            throw new IllegalArgumentException("panel width " + panelWidth + " leaves no room for " + tiles + " tiles");
        }
        int tileWidth = Math.min(panelWidth / tiles, width);
        int tileHeight = (int) Math.max(1, Math.round((double) tileWidth * height / width));
        BoxDownscaler downscaler = new BoxDownscaler(width, height, tileWidth, tileHeight);

        int[] colour = new BoxDownscaler(original.getWidth(), original.getHeight(), tileWidth, tileHeight)
                .rgb(rowReader(original));
        int[] alpha = downscaler.grey(byteRows(predicted.values(), width));

        BufferedImage panel = new BufferedImage(tiles * tileWidth, LABEL_HEIGHT + tileHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = panel.createGraphics();
        try {
            g.setColor(new Color(BACKGROUND));
            g.fillRect(0, 0, panel.getWidth(), panel.getHeight());
            putTile(panel, 0, tileWidth, tileHeight, colour);
            putTile(panel, 1, tileWidth, tileHeight, greyToRgb(alpha));
            putTile(panel, 2, tileWidth, tileHeight, cutout(colour, alpha, tileWidth));
            if (withGroundTruth) {
                int[] truth = downscaler.grey(byteRows(groundTruthOrNull.values(), width));
                // Averaging per-pixel errors, not differencing the small mattes, keeps errors in
                // fine detail (hair) visible instead of letting them cancel out.
                int[] error = downscaler.grey(errorRows(predicted.values(), groundTruthOrNull.values(), width));
                putTile(panel, 3, tileWidth, tileHeight, greyToRgb(truth));
                putTile(panel, 4, tileWidth, tileHeight, heatMap(error));
            }
            drawLabels(g, tiles, tileWidth);
        } finally {
            g.dispose();
        }
        return panel;
    }

    /** {@code ceil(width / n)} by {@code ceil(height / n)} for a whole {@code n}: the photo, subsampled or not. */
    private static void requireFraction(BufferedImage original, int width, int height) {
        int n = Math.max(1, (int) Math.round((double) width / original.getWidth()));
        if (ceilDiv(width, n) != original.getWidth() || ceilDiv(height, n) != original.getHeight()) {
            throw new IllegalArgumentException("the image is " + original.getWidth() + "x" + original.getHeight()
                    + ", neither the matte's " + width + "x" + height + " nor a whole fraction of it");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void requireSize(AlphaMatte matte, int width, int height, String what) {
        if (matte.width() != width || matte.height() != height) {
            throw new IllegalArgumentException(what + " matte is " + matte.width() + "x" + matte.height()
                    + " but the image is " + width + "x" + height);
        }
    }

    /**
     * Packed RGB rows of the image. Integer-RGB rasters are copied as they are; any other type is
     * drawn a strip at a time into an RGB buffer, because {@code getRGB} would pass grey images
     * through a colour conversion that brightens them, and a full-size converted copy is what
     * this class avoids. The original's own transparency, if it has any, is not shown: the
     * cutout tile is where the matte's is.
     */
    private static RowReader rowReader(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
            Raster raster = image.getRaster();
            int width = image.getWidth();
            return (y, row) -> {
                raster.getDataElements(0, y, width, 1, row);
                for (int x = 0; x < width; x++) {
                    row[x] &= 0xFFFFFF;
                }
            };
        }
        return new StripReader(image);
    }

    private static RowReader byteRows(byte[] values, int width) {
        return (y, row) -> {
            int offset = y * width;
            for (int x = 0; x < width; x++) {
                row[x] = values[offset + x] & 0xFF;
            }
        };
    }

    private static RowReader errorRows(byte[] predicted, byte[] truth, int width) {
        return (y, row) -> {
            int offset = y * width;
            for (int x = 0; x < width; x++) {
                row[x] = Math.abs((predicted[offset + x] & 0xFF) - (truth[offset + x] & 0xFF));
            }
        };
    }

    private static int[] greyToRgb(int[] grey) {
        int[] rgb = new int[grey.length];
        for (int i = 0; i < grey.length; i++) {
            int v = grey[i];
            rgb[i] = v << 16 | v << 8 | v;
        }
        return rgb;
    }

    /** The colour tile composited over a checkerboard with the alpha tile, the usual look of transparency. */
    private static int[] cutout(int[] colour, int[] alpha, int tileWidth) {
        int[] out = new int[colour.length];
        for (int i = 0; i < colour.length; i++) {
            int a = alpha[i];
            int back = checker(i % tileWidth, i / tileWidth);
            int c = colour[i];
            out[i] = blend(c >> 16 & 0xFF, back >> 16 & 0xFF, a) << 16
                    | blend(c >> 8 & 0xFF, back >> 8 & 0xFF, a) << 8
                    | blend(c & 0xFF, back & 0xFF, a);
        }
        return out;
    }

    static int checker(int x, int y) {
        return ((x / CHECKER_SIZE + y / CHECKER_SIZE) & 1) == 0 ? CHECKER_LIGHT : CHECKER_DARK;
    }

    private static int blend(int fore, int back, int alpha) {
        return (fore * alpha + back * (255 - alpha) + 127) / 255;
    }

    /** |pred − gt| from black (0) through red (0.5) to yellow (1). */
    private static int[] heatMap(int[] error) {
        int[] rgb = new int[error.length];
        for (int i = 0; i < error.length; i++) {
            int e = error[i];
            int red = Math.min(255, 2 * e);
            int green = Math.max(0, 2 * e - 255);
            rgb[i] = red << 16 | green << 8;
        }
        return rgb;
    }

    private static void putTile(BufferedImage panel, int index, int tileWidth, int tileHeight, int[] rgb) {
        panel.getRaster().setDataElements(index * tileWidth, LABEL_HEIGHT, tileWidth, tileHeight, rgb);
    }

    private static void drawLabels(Graphics2D g, int tiles, int tileWidth) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(LABEL_FONT);
        g.setColor(Color.WHITE);
        FontMetrics metrics = g.getFontMetrics();
        int baseline = (LABEL_HEIGHT - metrics.getHeight()) / 2 + metrics.getAscent();
        for (int i = 0; i < tiles; i++) {
            // A label never spills into its neighbour when tiles are narrow.
            g.setClip(i * tileWidth, 0, tileWidth, LABEL_HEIGHT);
            g.drawString(LABELS.get(i), i * tileWidth + LABEL_PADDING, baseline);
        }
        g.setClip(null);
    }

    /** Fills {@code row} with the values of source row {@code y}; rows are asked for in never-decreasing order. */
    private interface RowReader {
        void read(int y, int[] row);
    }

    /** Converts any image type to RGB by drawing it, one strip of rows at a time. */
    private static final class StripReader implements RowReader {

        private final BufferedImage image;
        private final BufferedImage strip;
        private int stripStart = -1;

        StripReader(BufferedImage image) {
            this.image = image;
            this.strip = new BufferedImage(image.getWidth(), Math.min(STRIP_ROWS, image.getHeight()),
                    BufferedImage.TYPE_INT_RGB);
        }

        @Override
        public void read(int y, int[] row) {
            if (stripStart < 0 || y < stripStart || y >= stripStart + strip.getHeight()) {
                stripStart = Math.min(y, image.getHeight() - strip.getHeight());
                Graphics2D g = strip.createGraphics();
                try {
                    // Src replaces the previous strip even where the image is translucent.
                    g.setComposite(AlphaComposite.Src);
                    g.drawImage(image, 0, -stripStart, null);
                } finally {
                    g.dispose();
                }
            }
            strip.getRaster().getDataElements(0, y - stripStart, image.getWidth(), 1, row);
        }
    }

    /**
     * Box-filter resampling: each output pixel is the mean of the source pixels that map onto it
     * (at least one, so it also enlarges small images). Sums are kept for one output row only.
     */
    private static final class BoxDownscaler {

        private final int sourceWidth;
        private final int outWidth;
        private final int outHeight;
        private final int[] columnStart;
        private final int[] columnEnd;
        private final int[] rowStart;
        private final int[] rowEnd;

        BoxDownscaler(int sourceWidth, int sourceHeight, int outWidth, int outHeight) {
            this.sourceWidth = sourceWidth;
            this.outWidth = outWidth;
            this.outHeight = outHeight;
            columnStart = new int[outWidth];
            columnEnd = new int[outWidth];
            bounds(sourceWidth, columnStart, columnEnd);
            rowStart = new int[outHeight];
            rowEnd = new int[outHeight];
            bounds(sourceHeight, rowStart, rowEnd);
        }

        private static void bounds(int sourceLength, int[] start, int[] end) {
            int out = start.length;
            for (int o = 0; o < out; o++) {
                start[o] = (int) ((long) o * sourceLength / out);
                end[o] = Math.max(start[o] + 1, (int) ((long) (o + 1) * sourceLength / out));
            }
        }

        int[] rgb(RowReader reader) {
            int[] row = new int[sourceWidth];
            long[] sums = new long[3 * outWidth];
            int[] out = new int[outWidth * outHeight];
            for (int oy = 0; oy < outHeight; oy++) {
                Arrays.fill(sums, 0);
                for (int y = rowStart[oy]; y < rowEnd[oy]; y++) {
                    reader.read(y, row);
                    for (int ox = 0; ox < outWidth; ox++) {
                        long r = 0;
                        long g = 0;
                        long b = 0;
                        for (int x = columnStart[ox]; x < columnEnd[ox]; x++) {
                            int p = row[x];
                            r += p >> 16 & 0xFF;
                            g += p >> 8 & 0xFF;
                            b += p & 0xFF;
                        }
                        sums[3 * ox] += r;
                        sums[3 * ox + 1] += g;
                        sums[3 * ox + 2] += b;
                    }
                }
                for (int ox = 0; ox < outWidth; ox++) {
                    long count = (long) (rowEnd[oy] - rowStart[oy]) * (columnEnd[ox] - columnStart[ox]);
                    out[oy * outWidth + ox] = mean(sums[3 * ox], count) << 16
                            | mean(sums[3 * ox + 1], count) << 8
                            | mean(sums[3 * ox + 2], count);
                }
            }
            return out;
        }

        int[] grey(RowReader reader) {
            int[] row = new int[sourceWidth];
            long[] sums = new long[outWidth];
            int[] out = new int[outWidth * outHeight];
            for (int oy = 0; oy < outHeight; oy++) {
                Arrays.fill(sums, 0);
                for (int y = rowStart[oy]; y < rowEnd[oy]; y++) {
                    reader.read(y, row);
                    for (int ox = 0; ox < outWidth; ox++) {
                        long sum = 0;
                        for (int x = columnStart[ox]; x < columnEnd[ox]; x++) {
                            sum += row[x];
                        }
                        sums[ox] += sum;
                    }
                }
                for (int ox = 0; ox < outWidth; ox++) {
                    long count = (long) (rowEnd[oy] - rowStart[oy]) * (columnEnd[ox] - columnStart[ox]);
                    out[oy * outWidth + ox] = mean(sums[ox], count);
                }
            }
            return out;
        }

        private static int mean(long sum, long count) {
            return (int) ((sum + count / 2) / count);
        }
    }
}
