package io.mattepipe.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Results are written under a temporary name and renamed: a reader sees a whole file or none. */
class ImageEncoderTest {

    @TempDir
    Path dir;

    private final ImageEncoder encoder = new ImageEncoder(1, 0.9f);

    @Test
    void writesIntoFoldersItCreatesAndReplacesAnEarlierFile() throws IOException {
        Path target = dir.resolve("job/sub/cutout.png");
        encoder.write(image(BufferedImage.TYPE_INT_ARGB, 0x80FF0000), "png", target);
        encoder.write(image(BufferedImage.TYPE_INT_ARGB, 0xFF00FF00), "png", target);

        BufferedImage read = ImageIO.read(target.toFile());
        assertEquals(0xFF00FF00, read.getRGB(3, 3));
        assertEquals(List.of(target), files());
    }

    @Test
    void theWrittenFileHasThePermissionsTheUmaskGivesNotThoseOfATemporaryFile() throws IOException {
        Path target = dir.resolve("cutout.png");
        new ImageEncoder(1, 0.9f).write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB), "png", target);
        Path plain = Files.write(dir.resolve("plain.txt"), new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
    }

    @Test
    void aFailedEncodeLeavesNeitherTheTargetNorATemporaryFile() throws IOException {
        Path target = dir.resolve("panel.jpg");
        assertThrows(IllegalArgumentException.class,
                () -> encoder.write(image(BufferedImage.TYPE_INT_ARGB, 0x80FF0000), "jpg", target));
        assertEquals(List.of(), files());
    }

    @Test
    void aJpegOfPackedRgbIsTheJpegOfTheSamePixelsInAnyLayout() throws IOException {
        BufferedImage packed = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < packed.getHeight(); y++) {
            for (int x = 0; x < packed.getWidth(); x++) {
                packed.setRGB(x, y, (x * 7) << 16 | (y * 11) << 8 | (x * y) & 0xFF);
            }
        }
        BufferedImage bytes = new BufferedImage(37, 23, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bytes.createGraphics();
        g.drawImage(packed, 0, 0, null);
        g.dispose();
        assertArrayEquals(jpeg(bytes), jpeg(packed));
        // a sub-image shares its parent's array: its own pixels, not the array's first ones
        assertArrayEquals(jpeg(bytes.getSubimage(5, 3, 20, 10)), jpeg(packed.getSubimage(5, 3, 20, 10)));
    }

    private byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(image, "jpg", out);
        return out.toByteArray();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static BufferedImage image(int type, int argb) {
        BufferedImage image = new BufferedImage(8, 8, type);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return image;
    }
}
