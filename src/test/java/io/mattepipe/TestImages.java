package io.mattepipe;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Images the model tests draw. */
public final class TestImages {

    private TestImages() {
    }

    /** Vertical stripes of colours on which the two tiny models disagree in both directions. */
    public static BufferedImage stripes(int w, int h) {
        Color[] colours = {new Color(200, 40, 90), new Color(60, 200, 40), new Color(30, 30, 200), new Color(128, 128, 120),
                new Color(250, 250, 240)};
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < colours.length; i++) {
            g.setColor(colours[i]);
            g.fillRect(i * w / colours.length, 0, w / colours.length + 1, h);
        }
        g.dispose();
        return image;
    }
}
