package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForegroundEstimatorTest {

    /** A subject of smoothly changing colour with a soft, wavy edge 12 pixels wide, over a noisy green backdrop. */
    private record Scene(BufferedImage foreground, AlphaMatte matte, BufferedImage background, BufferedImage newBackground) {

        static Scene of(int width, int height) {
            Random random = new Random(7);
            BufferedImage foreground = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            BufferedImage background = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            BufferedImage white = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            byte[] alpha = new byte[width * height];
            for (int y = 0; y < height; y++) {
                double edge = width / 2.0 + width / 8.0 * Math.sin(y * 6.0 / height);
                for (int x = 0; x < width; x++) {
                    foreground.setRGB(x, y, (200 - 100 * x / width) << 16 | (60 + 80 * y / height) << 8 | 40);
                    background.setRGB(x, y, (20 + random.nextInt(30)) << 16 | (180 + random.nextInt(60)) << 8 | 30 + random.nextInt(30));
                    white.setRGB(x, y, 0xFFFFFF);
                    alpha[y * width + x] = (byte) Math.round(255 * Math.max(0, Math.min(1, (edge - x) / 12 + 0.5)));
                }
            }
            return new Scene(foreground, new AlphaMatte(width, height, alpha), background, white);
        }
    }

    /** A green fringe on white: the estimate removes most of it, where the photo's colours keep all of it. */
    @Test
    void aCutoutOnANewBackgroundLosesMostOfTheOldBackgroundsFringe() {
        Scene scene = Scene.of(160, 120);
        HaloMeasure halo = HaloMeasure.of(scene.foreground(), scene.matte(), scene.background(), scene.newBackground(),
                ForegroundEstimator.standard());
        assertTrue(halo.photoColours() > 8, "the scene has a fringe to remove: " + halo);
        assertTrue(halo.reduction() > 0.6, "error on white " + halo.estimatedColours() + " against " + halo.photoColours());
    }

    /** Levels too big to solve whole are solved in the soft band only, and nearly as well. */
    @Test
    void solvingOnlyTheSoftBandOfLargeLevelsKeepsTheGain() {
        Scene scene = Scene.of(400, 300);
        HaloMeasure whole = HaloMeasure.of(scene.foreground(), scene.matte(), scene.background(), scene.newBackground(),
                new ForegroundEstimator(400 * 300));
        HaloMeasure band = HaloMeasure.of(scene.foreground(), scene.matte(), scene.background(), scene.newBackground(),
                new ForegroundEstimator(64 * 64));
        assertTrue(band.reduction() > 0.6, "band only: " + band);
        assertTrue(band.estimatedColours() < whole.estimatedColours() * 1.25 + 0.5, "band " + band + " against whole " + whole);
    }

    /** Only soft pixels change: the subject's inside keeps the photo's colours exactly, and so does the backdrop. */
    @Test
    void pixelsWhereTheMatteIsZeroOrFullAreLeftAsTheyAre() {
        Scene scene = Scene.of(90, 70);
        BufferedImage photo = copy(scene.background());
        int[] before = HaloMeasure.pixels(photo).clone();
        ForegroundEstimator.standard().estimate(photo, scene.matte());
        int[] after = HaloMeasure.pixels(photo);
        byte[] alpha = scene.matte().values();
        int changed = 0;
        for (int i = 0; i < alpha.length; i++) {
            int a = alpha[i] & 0xFF;
            if (a == 0 || a == 255) {
                assertEquals(before[i], after[i], "pixel " + i + " at alpha " + a);
            } else if (before[i] != after[i]) {
                changed++;
            }
        }
        assertTrue(changed > 0, "some soft pixel took another colour");
    }

    @Test
    void aHardMatteChangesNothing() {
        Scene scene = Scene.of(50, 40);
        BufferedImage photo = copy(scene.background());
        int[] before = HaloMeasure.pixels(photo).clone();
        byte[] hard = scene.matte().values().clone();
        for (int i = 0; i < hard.length; i++) {
            hard[i] = (hard[i] & 0xFF) < 128 ? 0 : (byte) 255;
        }
        ForegroundEstimator.standard().estimate(photo, new AlphaMatte(50, 40, hard));
        assertArrayEquals(before, HaloMeasure.pixels(photo));
    }

    @Test
    void aOnePixelImageIsEstimated() {
        BufferedImage photo = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        photo.setRGB(0, 0, 0x808080);
        ForegroundEstimator.standard().estimate(photo, new AlphaMatte(1, 1, new byte[] {(byte) 128}));
        assertEquals(0x808080, photo.getRGB(0, 0) & 0xFFFFFF, "one pixel: its colour is the best estimate");
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.setData(image.getRaster());
        return out;
    }
}
