package io.mattepipe.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/** What a user takes away: the cutout, the matte alone, or the subject flattened on a colour. */
public final class Cutout {

    private Cutout() {
    }

    /**
     * RGBA ({@code TYPE_INT_ARGB}): the original colours with the matte as alpha (straight, not
     * premultiplied, as PNG stores it). Fully transparent pixels are stored as transparent black:
     * nobody can see their colour, and the old background's detail there was most of a cutout
     * PNG's size (BENCHMARKS.md).
     *
     * <p>Made in {@code rgb}'s own pixel buffer, which the result shares: a second full-size
     * buffer would be 64 MB more for every 16-megapixel photo in the matting stage (issue 11).
     * {@code rgb} is spent by this: make everything else from it first.
     */
    public static BufferedImage withAlpha(BufferedImage rgb, AlphaMatte matte) {
        requireSameSize(rgb, matte);
        DataBufferInt buffer = (DataBufferInt) rgb.getRaster().getDataBuffer();
        int[] pixels = pixels(rgb);
        byte[] alpha = matte.values();
        for (int i = 0; i < pixels.length; i++) {
            int a = alpha[i] & 0xFF;
            pixels[i] = a == 0 ? 0 : a << 24 | (pixels[i] & 0xFFFFFF);
        }
        DirectColorModel argb = (DirectColorModel) ColorModel.getRGBdefault();
        WritableRaster raster = Raster.createPackedRaster(buffer, rgb.getWidth(), rgb.getHeight(), rgb.getWidth(),
                argb.getMasks(), null);
        return new BufferedImage(argb, raster, false, null);
    }

    /** The subject composited over a solid colour: {@code c·α + bg·(1−α)}. */
    public static BufferedImage onColour(BufferedImage rgb, AlphaMatte matte, Color background) {
        requireSameSize(rgb, matte);
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] src = pixels(rgb);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        byte[] alpha = matte.values();
        int bg = background.getRGB();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = blend(src[i], bg, alpha[i] & 0xFF);
        }
        return out;
    }

    /** The matte as an 8-bit grey image (rembg's {@code --only-mask}). */
    public static BufferedImage maskImage(AlphaMatte matte) {
        BufferedImage out = new BufferedImage(matte.width(), matte.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        System.arraycopy(matte.values(), 0, dst, 0, dst.length);
        return out;
    }

    /** {@code fg·α + bg·(1−α)} per channel, α in 0..255, rounded. */
    public static int blend(int fg, int bg, int alpha) {
        int inv = 255 - alpha;
        int r = (((fg >> 16) & 0xFF) * alpha + ((bg >> 16) & 0xFF) * inv + 127) / 255;
        int g = (((fg >> 8) & 0xFF) * alpha + ((bg >> 8) & 0xFF) * inv + 127) / 255;
        int b = ((fg & 0xFF) * alpha + (bg & 0xFF) * inv + 127) / 255;
        return r << 16 | g << 8 | b;
    }

    static int[] pixels(BufferedImage rgb) {
        if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected TYPE_INT_RGB, got type " + rgb.getType());
        }
        return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    }

    private static void requireSameSize(BufferedImage rgb, AlphaMatte matte) {
        if (rgb.getWidth() != matte.width() || rgb.getHeight() != matte.height()) {
            throw new IllegalArgumentException("image is " + rgb.getWidth() + "x" + rgb.getHeight()
                    + " but matte is " + matte.width() + "x" + matte.height());
        }
    }
}
