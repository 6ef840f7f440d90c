package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

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
}
