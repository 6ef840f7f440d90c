package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebP cutouts decode back to what was written: every visible pixel exactly when lossless, closely when lossy, alpha kept either way. */
class WebpEncodingTest {

    @Test
    void aLosslessWebpCutoutDecodesToTheSamePixelsAndAlpha() throws IOException {
        BufferedImage cutout = cutout();
        BufferedImage read = roundTrip(new ImageEncoder(3, 0.9f, true, 0.9f), cutout);
        assertTrue(read.getColorModel().hasAlpha(), "alpha kept");
        assertArrayEquals(argb(cutout), argb(read));
    }

    @Test
    void aLossyWebpCutoutKeepsItsAlphaAndIsCloseInColour() throws IOException {
        BufferedImage cutout = cutout();
        ImageEncoder lossy = new ImageEncoder(3, 0.9f, false, 0.9f);
        BufferedImage read = roundTrip(lossy, cutout);
        int[] want = argb(cutout);
        int[] got = argb(read);
        double alphaError = 0;
        double colourError = 0;
        int opaque = 0;
        for (int i = 0; i < want.length; i++) {
            alphaError += Math.abs((want[i] >>> 24) - (got[i] >>> 24));
            if (want[i] >>> 24 == 255) {
                colourError += Math.abs(((want[i] >> 8) & 0xFF) - ((got[i] >> 8) & 0xFF));
                opaque++;
            }
        }
        assertTrue(alphaError / want.length < 2, "mean alpha error " + alphaError / want.length);
        assertTrue(colourError / opaque < 6, "mean green error " + colourError / opaque);
        ByteArrayOutputStream lossless = new ByteArrayOutputStream();
        new ImageEncoder(3, 0.9f, true, 0.9f).encode(cutout, "webp", lossless);
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        lossy.encode(cutout, "webp", small);
        assertTrue(small.size() < lossless.size(), "lossy " + small.size() + " bytes against lossless " + lossless.size());
    }

    @Test
    void anOpaqueImageIsWrittenAsWebpToo() throws IOException {
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(5, 5, 0x336699);
        BufferedImage read = roundTrip(new ImageEncoder(3, 0.9f, true, 0.9f), rgb);
        assertEquals(0xFF336699, read.getRGB(5, 5));
        assertEquals(40, read.getWidth());
    }

    /** A photo-like subject (smooth colours, noise) with a soft round edge and a transparent outside. */
    private static BufferedImage cutout() {
        Random random = new Random(3);
        BufferedImage image = new BufferedImage(120, 90, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 120; x++) {
                double distance = Math.hypot(x - 60, y - 45);
                int a = (int) Math.max(0, Math.min(255, (40 - distance) * 255 / 8));
                int rgb = (100 + x) << 16 | (60 + y + random.nextInt(5)) << 8 | 80;
                image.setRGB(x, y, a == 0 ? 0 : a << 24 | rgb);
            }
        }
        return image;
    }

    private static BufferedImage roundTrip(ImageEncoder encoder, BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(image, "webp", out);
        byte[] bytes = out.toByteArray();
        assertEquals("RIFF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("WEBP", new String(bytes, 8, 4, StandardCharsets.US_ASCII));
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    /** The pixels, every fully transparent one as 0: libwebp may store any colour there, as nobody sees it. */
    private static int[] argb(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] >>> 24 == 0) {
                pixels[i] = 0;
            }
        }
        return pixels;
    }
}
