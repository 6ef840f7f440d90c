package io.mattepipe.image;

import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A photo's own colour profile comes back out of every format, read back from the written file. */
class IccProfileTest {

    @TempDir
    Path dir;

    private final ImageEncoder encoder = new ImageEncoder(3, 0.95f, true, 0.9f);
    private final ImageDecoder decoder = new ImageDecoder(200_000_000);

    /** The shared Adobe RGB (1998) photo: its profile in the PNG, JPEG and WebP written from it, its values unconverted. */
    @Test
    void anAdobeRgbPhotosProfileIsKeptInEveryOutputFormat() throws Exception {
        Path rocket = TestPaths.sharedTestdata("photos").resolve("rocket.jpg");
        ImageDecoder.Decoded decoded = decoder.decodeKeepingProfile(rocket);
        assertNotNull(decoded.iccProfile(), "rocket.jpg carries a profile");
        assertTrue(description(decoded.iccProfile()).contains("Adobe RGB"), description(decoded.iccProfile()));
        assertTrue(differs(decoded.rgb(), decoder.decode(rocket)), "values left in Adobe RGB, not converted to sRGB");
        BufferedImage cutout = Cutout.withAlpha(decoded.rgb(), halfMatte(decoded.rgb()));
        for (String format : new String[] {"png", "webp"}) {
            Path out = dir.resolve("rocket." + format);
            encoder.write(cutout, format, out, decoded.iccProfile());
            assertArrayEquals(decoded.iccProfile(), IccProfiles.read(out), format);
        }
        Path jpeg = dir.resolve("rocket.jpg");
        encoder.write(Cutout.onColour(decoder.decodeKeepingProfile(rocket).rgb(), halfMatte(decoded.rgb()), Color.WHITE),
                "jpg", jpeg, decoded.iccProfile());
        assertSameProfile(decoded.iccProfile(), IccProfiles.read(jpeg));
    }

    /**
     * A synthetic photo in another RGB space (Java's linear RGB): decoded, its values stay as
     * written (converted to sRGB they would brighten), and a PNG, JPEG and WebP of them carry it.
     */
    @Test
    void valuesInAnotherRgbSpaceAreKeptAndTaggedWithTheirProfile() throws Exception {
        byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, 0x204060);
            }
        }
        Path jpeg = dir.resolve("linear.jpg");
        encoder.write(image, "jpg", jpeg, linear);
        assertArrayEquals(linear, IccProfiles.read(jpeg));
        ImageDecoder.Decoded decoded = decoder.decodeKeepingProfile(jpeg);
        assertArrayEquals(linear, decoded.iccProfile());
        int pixel = decoded.rgb().getRGB(10, 10) & 0xFFFFFF;
        assertTrue(Math.abs((pixel >> 16) - 0x20) <= 3 && Math.abs((pixel & 0xFF) - 0x60) <= 3, Integer.toHexString(pixel));
        int converted = decoder.decode(jpeg).getRGB(10, 10) & 0xFFFFFF;
        assertTrue((converted >> 16) > 0x40, "converted to sRGB, linear values brighten: " + Integer.toHexString(converted));
        for (String format : new String[] {"png", "webp"}) {
            Path out = dir.resolve("linear." + format);
            encoder.write(decoded.rgb(), format, out, decoded.iccProfile());
            assertArrayEquals(linear, IccProfiles.read(out), format);
            assertEquals(pixel, decoder.decodeKeepingProfile(out).rgb().getRGB(10, 10) & 0xFFFFFF, format + " keeps the values");
        }
        int shown = decoder.decode(dir.resolve("linear.png")).getRGB(10, 10) & 0xFFFFFF;
        assertTrue(Math.abs((shown >> 16) - (converted >> 16)) <= 3, "a PNG with this profile shown in sRGB as the JPEG is: "
                + Integer.toHexString(shown) + " against " + Integer.toHexString(converted));
    }

    @Test
    void aPhotoWithoutAProfileIsDecodedAsBefore() throws Exception {
        Path plain = dir.resolve("plain.png");
        encoder.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", plain);
        assertNull(IccProfiles.read(plain));
        assertNull(decoder.decodeKeepingProfile(plain).iccProfile());
        byte[] webp = Files.readAllBytes(write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB), "webp"));
        assertNull(IccProfiles.webpChunk(webp, "ICCP"));
    }

    /**
     * The same tags with the same data: Java's JPEG writer hands the profile to LittleCMS, which
     * rewrites parts of the 128-byte header (the preferred CMM) and nothing after it.
     */
    private static void assertSameProfile(byte[] expected, byte[] actual) {
        assertNotNull(actual, "no profile");
        assertEquals(expected.length, actual.length);
        assertArrayEquals(Arrays.copyOfRange(expected, 128, expected.length), Arrays.copyOfRange(actual, 128, actual.length));
        assertEquals(description(expected), description(actual));
    }

    private Path write(BufferedImage image, String format) throws Exception {
        Path out = dir.resolve("plain." + format);
        encoder.write(image, format, out);
        return out;
    }

    private static AlphaMatte halfMatte(BufferedImage image) {
        byte[] values = new byte[image.getWidth() * image.getHeight()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (i % image.getWidth() < image.getWidth() / 2 ? 255 : 128);
        }
        return new AlphaMatte(image.getWidth(), image.getHeight(), values);
    }

    private static boolean differs(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y += 7) {
            for (int x = 0; x < a.getWidth(); x += 7) {
                if (Math.abs((a.getRGB(x, y) & 0xFF) - (b.getRGB(x, y) & 0xFF)) > 8) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The profile's 'desc' tag text, enough to recognise it. */
    private static String description(byte[] profile) {
        return new String(ICC_Profile.getInstance(profile).getData(ICC_Profile.icSigProfileDescriptionTag), StandardCharsets.ISO_8859_1);
    }
}
