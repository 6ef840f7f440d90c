package io.mattepipe.image;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canvases, presets and the check of every render option by name. */
class CanvasRenditionTest {

    /** A 300×200 photo's cutout: an opaque blue 60×120 subject at (40, 30), nothing else. */
    private static BufferedImage cutout() {
        BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
        for (int y = 30; y < 150; y++) {
            for (int x = 40; x < 100; x++) {
                image.setRGB(x, y, 0xFF0000FF);
            }
        }
        return image;
    }

    private static RenderOptions options(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return RenderOptions.fromQuery(query, Map.of("shop", RenderOptions.presetOptions("shop",
                "size=400x400&scale=50&position=bottom&background=white&format=jpg")), List.of("tasks"));
    }

    @Test
    void aFixedCanvasHoldsTheSubjectScaledToItsShareAndCentred() {
        BufferedImage out = Rendition.render(cutout(), options("size", "800x600", "scale", "80"));
        assertEquals(800, out.getWidth());
        assertEquals(600, out.getHeight());
        // the subject, 60x120, fits 80 % of the height first: 480 high, 240 wide, centred
        assertEquals(new Rectangle(280, 60, 240, 480), Rendition.subjectBox(out, 0));
    }

    @Test
    void bottomStandsTheSubjectOnTheLowerEdgeAndXyPlacesItsCentre() {
        BufferedImage bottom = Rendition.render(cutout(), options("size", "200x200", "scale", "50", "position", "bottom"));
        Rectangle box = Rendition.subjectBox(bottom, 0);
        assertEquals(200, box.y + box.height, "standing on the bottom edge");
        assertEquals(100, box.x + box.width / 2, "centred across");
        BufferedImage placed = Rendition.render(cutout(), options("size", "200x200", "scale", "50", "position", "25,60"));
        Rectangle at = Rendition.subjectBox(placed, 0);
        assertEquals(50, at.x + at.width / 2);
        assertEquals(120, at.y + at.height / 2);
    }

    @Test
    void aLongestSideMakesACanvasOfTheSubjectsShapeWithRoomForItsShare() {
        BufferedImage out = Rendition.render(cutout(), options("size", "1000", "scale", "50"));
        assertEquals(500, out.getWidth());
        assertEquals(1000, out.getHeight());
        assertEquals(new Rectangle(125, 250, 250, 500), Rendition.subjectBox(out, 0));
    }

    @Test
    void scaleAloneUsesThePhotosOwnSize() {
        BufferedImage out = Rendition.render(cutout(), options("scale", "50"));
        assertEquals(300, out.getWidth());
        assertEquals(new Rectangle(125, 50, 50, 100), Rendition.subjectBox(out, 0));
    }

    @Test
    void aShadowDarkensTheBackgroundUnderTheSubjectOnly() {
        BufferedImage out = Rendition.render(cutout(), options("size", "400x400", "scale", "50", "background", "white",
                "shadow", "true", "position", "50,45"));
        Rectangle box = Rendition.subjectBox(Rendition.render(cutout(), options("size", "400x400", "scale", "50",
                "position", "50,45")), 0);
        int under = out.getRGB(box.x + box.width / 2, box.y + box.height + 2) & 0xFF;
        assertTrue(under < 235, "under the subject: " + under);
        assertEquals(0xFFFFFFFF, out.getRGB(10, 10), "far away: white");
        assertEquals(0xFFFFFFFF, out.getRGB(box.x + box.width / 2, box.y - 10), "above: white");
    }

    @Test
    void aPresetGivesItsOptionsAndTheQueryOverridesThem() {
        RenderOptions shop = options("preset", "shop");
        assertEquals("jpg", shop.format());
        assertEquals(Color.WHITE, shop.background());
        assertEquals(new Canvas(400, 400, 0, 50, 50, 100, true), shop.canvas());
        assertEquals("webp", options("preset", "shop", "format", "webp").format());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> options("preset", "shoes"));
        assertTrue(unknown.getMessage().contains("shop"), unknown.getMessage());
    }

    @Test
    void everyOptionIsCheckedAndItsNameIsInTheMessage() {
        for (String[] bad : new String[][] {{"size", "800y800"}, {"size", "0x10"}, {"size", "90000"}, {"scale", "0"},
                {"scale", "101"}, {"scale", "much"}, {"position", "top"}, {"position", "50,150"}, {"shadow", "soft"},
                {"crop", "maybe"}, {"format", "gif"}, {"margin", "x"}, {"max_size", "-1"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options(bad[0], bad[1]),
                    bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains(bad[0].equals("max_size") ? "max_size" : bad[0]), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("size", "800x800", "max_size", "100"))
                .getMessage().contains("max_size"));
    }

    @Test
    void aMisspeltOptionIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options("sise", "800x800"));
        assertTrue(e.getMessage().contains("'sise'") && e.getMessage().contains("size"), e.getMessage());
        assertNull(options("tasks", "1,2").canvas(), "a name the endpoint takes is no option but is allowed");
    }
}
