package io.mattepipe.image;

import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(100_000_000L);

    @TempDir
    Path dir;

    @Test
    void exifOrientationSixIsTurnedUpright() throws IOException {
        BufferedImage image = decoder.decode(TestPaths.SAMPLES.resolve("exif_orientation6_landscape.jpg"));
        // stored 1200x1800, shown 1800x1200 after a 90° clockwise turn
        assertEquals(1800, image.getWidth());
        assertEquals(1200, image.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
    }

    @Test
    void subsamplingKeepsEveryNthPixelOfEveryNthRowUpright() throws IOException {
        Path sample = TestPaths.SAMPLES.resolve("exif_orientation6_landscape.jpg");
        BufferedImage whole = decoder.decode(sample);
        BufferedImage quarter = decoder.decode(sample, 4);
        // shown 1800x1200 whole: ceil(1800 / 4) x ceil(1200 / 4), still upright
        assertEquals(450, quarter.getWidth());
        assertEquals(300, quarter.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, quarter.getType());
        long difference = 0;
        for (int y = 0; y < quarter.getHeight(); y += 7) {
            for (int x = 0; x < quarter.getWidth(); x += 7) {
                int a = quarter.getRGB(x, y);
                int b = whole.getRGB(4 * x + (whole.getWidth() - 1) % 4, 4 * y);
                difference += Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF));
            }
        }
        // the same pixels (the turn samples the stored image's own grid, hence the column offset)
        assertTrue(difference / (65.0 * 43) < 2, "mean green difference " + difference / (65.0 * 43));
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(sample, 0));
    }

    @Test
    void orientationMapsEveryCornerAsExifDefines() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x111111); // top-left marker
        BufferedImage rotated = Orientation.apply(image, 6);
        assertEquals(2, rotated.getWidth());
        assertEquals(3, rotated.getHeight());
        // turning 90° clockwise moves the top-left corner to the top-right
        assertEquals(0x111111, rotated.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x111111, Orientation.apply(image, 8).getRGB(0, 2) & 0xFFFFFF);
        assertEquals(0x111111, Orientation.apply(image, 3).getRGB(2, 1) & 0xFFFFFF);
        assertEquals(0x111111, Orientation.apply(image, 2).getRGB(2, 0) & 0xFFFFFF);
    }

    @Test
    void cmykJpegDecodesToItsColours() throws IOException {
        BufferedImage image = decoder.decode(TestPaths.SAMPLES.resolve("cmyk_adobe_sample.jpg"));
        assertEquals(100, image.getWidth());
        // The sample is the word RED in red: some pixels must be strongly red, none inverted to cyan.
        int red = 0;
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                Color c = new Color(image.getRGB(x, y));
                if (c.getRed() > 180 && c.getGreen() < 90 && c.getBlue() < 90) {
                    red++;
                }
            }
        }
        assertTrue(red > 200, "red pixels: " + red);
    }

    @Test
    void webpAndGreyPngDecode() throws IOException {
        assertEquals(480, decoder.decode(TestPaths.SAMPLES.resolve("flower.webp")).getWidth());
        BufferedImage grey = decoder.decode(TestPaths.SAMPLES.resolve("camera_grayscale.png"));
        assertEquals(512, grey.getWidth());
    }

    @Test
    void greyValuesAreKeptNotBrightened() throws IOException {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 23);
        Path file = write(grey, "png", "grey.png");
        assertEquals(23, decoder.decode(file).getRGB(1, 1) & 0xFF);
        assertEquals(23, decoder.decodeMatte(file).at(1, 1));
    }

    @Test
    void sixteenBitPngKeepsItsHighByte() throws IOException {
        BufferedImage grey16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(2, 2, 0, 0xC812);
        Path file = write(grey16, "png", "grey16.png");
        assertEquals(0xC8, decoder.decodeMatte(file).at(2, 2));
        assertEquals(4, decoder.decode(file).getWidth());
    }

    @Test
    void palettePngDecodesToItsColours() throws IOException {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, 0};
        byte[] b = {0, (byte) 255};
        BufferedImage indexed = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        WritableRaster raster = indexed.getRaster();
        raster.setSample(3, 0, 0, 1);
        BufferedImage decoded = decoder.decode(write(indexed, "png", "palette.png"));
        assertEquals(0xFF0000, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, decoded.getRGB(3, 0) & 0xFFFFFF);
    }

    @Test
    void transparentPixelsAreShownOverWhite() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000);
        argb.setRGB(1, 0, 0xFF00FF00);
        BufferedImage decoded = decoder.decode(write(argb, "png", "alpha.png"));
        assertEquals(0xFFFFFF, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, decoded.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void truncatedJpegIsACorruptImageNamingTheFile() throws IOException {
        BufferedImage photo = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.RED, 256, 256, Color.BLUE));
        g.fillRect(0, 0, 256, 256);
        g.dispose();
        byte[] whole = Files.readAllBytes(write(photo, "jpg", "whole.jpg"));
        Path truncated = dir.resolve("truncated.jpg");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(truncated));
        assertTrue(e.getMessage().contains("truncated.jpg"), e.getMessage());
        assertTrue(e.getMessage().startsWith("corrupt image"), e.getMessage());
    }

    @Test
    void textFileNamedJpgIsNotAnImage() throws IOException {
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "these are not pixels\n", StandardCharsets.UTF_8);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(text));
        assertTrue(e.getMessage().startsWith("not an image: notes.jpg"), e.getMessage());
    }

    @Test
    void pixelBombIsRefusedFromItsHeader() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, pngHeaderOnly(50_000, 50_000));
        long before = usedHeap();
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bomb));
        assertTrue(e.getMessage().contains("50000x50000"), e.getMessage());
        assertTrue(e.getMessage().startsWith("image too large"), e.getMessage());
        // decoding it would need 10 GB (2.5 G pixels × 4 bytes); refusing must allocate next to nothing
        assertTrue(usedHeap() - before < 64L << 20, "heap grew by " + (usedHeap() - before));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** A valid PNG signature and IHDR claiming the given size, one empty IDAT and IEND. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
        return file;
    }
}
