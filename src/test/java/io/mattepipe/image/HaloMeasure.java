package io.mattepipe.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The halo of a cutout, measured where it is seen: a known foreground {@code F} composited through a
 * known matte over a known background {@code B} gives the photo; its cutout, put on a new background
 * {@code C}, is compared with the true {@code F} on {@code C}, inside the matte's soft band
 * (0 &lt; α &lt; 255). Mean absolute error per channel, in 0..255.
 */
record HaloMeasure(double photoColours, double estimatedColours, int softPixels) {

    /** The error of today's cutout (the photo's colours) and of the estimated foreground. */
    static HaloMeasure of(BufferedImage foreground, AlphaMatte matte, BufferedImage background, BufferedImage newBackground,
                          ForegroundEstimator estimator) {
        int[] f = pixels(foreground);
        int[] b = pixels(background);
        int[] c = pixels(newBackground);
        byte[] alpha = matte.values();
        BufferedImage photo = new BufferedImage(matte.width(), matte.height(), BufferedImage.TYPE_INT_RGB);
        int[] composite = pixels(photo);
        for (int i = 0; i < composite.length; i++) {
            composite[i] = Cutout.blend(f[i], b[i], alpha[i] & 0xFF);
        }
        int[] today = composite.clone();
        estimator.estimate(photo, matte);
        double todayError = 0;
        double estimatedError = 0;
        int soft = 0;
        for (int i = 0; i < alpha.length; i++) {
            int a = alpha[i] & 0xFF;
            if (a == 0 || a == 255) {
                continue;
            }
            int truth = Cutout.blend(f[i], c[i], a);
            todayError += difference(Cutout.blend(today[i], c[i], a), truth);
            estimatedError += difference(Cutout.blend(composite[i], c[i], a), truth);
            soft++;
        }
        return new HaloMeasure(todayError / (3.0 * soft), estimatedError / (3.0 * soft), soft);
    }

    /** How much less error the estimate leaves than the photo's colours: 0.4 is 40 % less. */
    double reduction() {
        return 1 - estimatedColours / photoColours;
    }

    private static int difference(int p, int q) {
        return Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                + Math.abs((p & 0xFF) - (q & 0xFF));
    }

    static int[] pixels(BufferedImage rgb) {
        if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected TYPE_INT_RGB, got type " + rgb.getType());
        }
        return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    }
}
