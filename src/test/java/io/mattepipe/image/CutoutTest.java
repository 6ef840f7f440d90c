package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CutoutTest {

    /** Invisible pixels lose their colour (most of a PNG's size), visible ones keep it exactly. */
    @Test
    void storesFullyTransparentPixelsAsTransparentBlack() {
        BufferedImage photo = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        photo.setRGB(0, 0, 0x123456);
        photo.setRGB(1, 0, 0x654321);
        photo.setRGB(2, 0, 0xABCDEF);
        AlphaMatte matte = new AlphaMatte(3, 1, new byte[] {0, 1, (byte) 255});
        BufferedImage cutout = Cutout.withAlpha(photo, matte);
        assertEquals(0x00000000, cutout.getRGB(0, 0));
        assertEquals(0x01654321, cutout.getRGB(1, 0));
        assertEquals(0xFFABCDEF, cutout.getRGB(2, 0));
    }

    /**
     * The cutout made in the original's buffer (no second full-size image) is a plain
     * {@code TYPE_INT_ARGB} image with exactly the pixels, and the PNG bytes, of one built fresh.
     */
    @Test
    void cutoutInTheOriginalsBufferEqualsAFreshOneBitForBit() throws Exception {
        Random random = new Random(11);
        int width = 97;
        int height = 61;
        BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        byte[] alpha = new byte[width * height];
        random.nextBytes(alpha);
        for (int i = 0; i < alpha.length; i += 7) {
            alpha[i] = 0;
        }
        BufferedImage fresh = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = random.nextInt(1 << 24);
                photo.setRGB(x, y, rgb);
                int a = alpha[y * width + x] & 0xFF;
                fresh.setRGB(x, y, a == 0 ? 0 : a << 24 | rgb);
            }
        }
        int[] original = ((DataBufferInt) photo.getRaster().getDataBuffer()).getData();

        BufferedImage cutout = Cutout.withAlpha(photo, new AlphaMatte(width, height, alpha));

        assertEquals(BufferedImage.TYPE_INT_ARGB, cutout.getType());
        assertEquals(original, ((DataBufferInt) cutout.getRaster().getDataBuffer()).getData(), "no second buffer");
        assertArrayEquals(fresh.getRGB(0, 0, width, height, null, 0, width), cutout.getRGB(0, 0, width, height, null, 0, width));
        assertArrayEquals(png(fresh), png(cutout));
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageEncoder(3, 0.9f).encode(image, "png", out);
        return out.toByteArray();
    }
}
