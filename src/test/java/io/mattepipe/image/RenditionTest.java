package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenditionTest {

    /** A 200×100 cutout: an opaque green 40×20 subject at (100, 40), a faint haze elsewhere, red under the haze. */
    private static BufferedImage cutout() {
        BufferedImage image = new BufferedImage(200, 100, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                boolean subject = x >= 100 && x < 140 && y >= 40 && y < 60;
                image.setRGB(x, y, subject ? 0xFF00FF00 : (Rendition.SUBJECT_ALPHA - 1) << 24 | 0xFF0000);
            }
        }
        return image;
    }

    @Test
    void cropsToTheSubjectWithItsMarginInsideTheImage() {
        assertEquals(new Rectangle(100, 40, 40, 20), Rendition.subjectBox(cutout(), 0), "the haze does not count");
        assertEquals(new Rectangle(96, 36, 48, 28), Rendition.subjectBox(cutout(), 10), "10 % of the longer side, 40");
        assertEquals(new Rectangle(60, 0, 120, 100), Rendition.subjectBox(cutout(), 100), "40 all round, kept inside the image");
        BufferedImage empty = new BufferedImage(30, 20, BufferedImage.TYPE_INT_ARGB);
        assertEquals(new Rectangle(0, 0, 30, 20), Rendition.subjectBox(empty, 5), "no subject: the whole image");
    }

    @Test
    void flattensOnTheBackgroundAndScalesDownOnly() {
        BufferedImage white = Rendition.render(cutout(), parse("jpg", "white", "true", "0", "20"));
        assertEquals(20, white.getWidth());
        assertEquals(10, white.getHeight());
        assertFalse(white.getColorModel().hasAlpha());
        assertEquals(0x00FF00, white.getRGB(10, 5) & 0xFFFFFF, "the subject's colour");

        BufferedImage whole = Rendition.render(cutout(), parse("png", "#0000ff", null, null, "4000"));
        assertEquals(200, whole.getWidth(), "never enlarged");
        int haze = whole.getRGB(0, 0);
        assertTrue((haze & 0xFF) > 230 && ((haze >> 16) & 0xFF) < 20, "almost all blue: " + Integer.toHexString(haze));

        BufferedImage transparent = Rendition.render(cutout(), parse("png", "transparent", "true", "50", "30"));
        assertTrue(transparent.getColorModel().hasAlpha());
        assertEquals(30, Math.max(transparent.getWidth(), transparent.getHeight()));
        int corner = transparent.getRGB(0, 0);
        assertTrue((corner >>> 24) < Rendition.SUBJECT_ALPHA, "the margin stays see-through");
        int middle = transparent.getRGB(transparent.getWidth() / 2, transparent.getHeight() / 2);
        assertEquals(0xFF00FF00, middle, "premultiplied scaling keeps the red under the haze out of the subject");
    }

    @Test
    void refusesWhatCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> parse("jpg", "transparent", null, null, null),
                "a JPEG has no transparency");
        assertThrows(IllegalArgumentException.class, () -> parse("gif", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> parse("png", "#12", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> parse("png", null, "true", "200", null));
        assertThrows(IllegalArgumentException.class, () -> parse("png", null, null, null, "big"));
        assertEquals(new RenderOptions("png", null, false, 0, 0), parse(null, null, null, null, null));
        assertEquals(Color.BLACK, parse("jpeg", "black", null, null, null).background());
    }

    /** The five options of a query, each null when absent, as the API reads them. */
    private static RenderOptions parse(String format, String background, String crop, String margin, String maxSize) {
        Map<String, String> query = new HashMap<>();
        String[] names = {"format", "background", "crop", "margin", "max_size"};
        String[] values = {format, background, crop, margin, maxSize};
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                query.put(names[i], values[i]);
            }
        }
        return RenderOptions.fromQuery(query, Map.of(), List.of());
    }
}
