import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * PNG deflate level against size and time, on real cutouts (the mattes `batch` predicted for the
 * photos), through the product's own ImageEncoder: for each level 0..9, every cutout encoded RUNS
 * times (median kept), once with the photo's colours under transparent pixels (as cutouts were
 * written before) and once with them cleared (as Cutout.withAlpha writes them now).
 *
 *   mvn -q package -DskipTests
 *   java -jar target/mattepipe.jar batch ../shared/testdata/photos /tmp/out
 *   java -cp target/mattepipe.jar bench/PngLevels.java ../shared/testdata/photos /tmp/out [RUNS] [LEVELS] [cleared]
 *
 * LEVELS is a comma-separated list (default 0..9); "cleared" measures only the cutouts as written now.
 */
public class PngLevels {

    public static void main(String[] args) throws Exception {
        Path photos = Path.of(args[0]);
        Path cutouts = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int[] levels = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        boolean clearedOnly = args.length > 4 && args[4].equals("cleared");
        List<BufferedImage> kept;
        try (Stream<Path> files = Files.list(cutouts)) {
            kept = files.filter(p -> p.toString().endsWith(".png")).sorted()
                    .map(p -> withPhotoColours(p, photos)).toList();
        }
        List<BufferedImage> cleared = kept.stream().map(PngLevels::clearInvisible).toList();
        long pixels = kept.stream().mapToLong(i -> (long) i.getWidth() * i.getHeight()).sum();
        System.out.printf(Locale.ROOT, "%d cutouts, %.1f Mpx, %d runs each%n", kept.size(), pixels / 1e6, runs);
        System.out.println("| level | MB, colours kept | s, colours kept | MB, cleared | s, cleared |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (int level : levels) {
            ImageEncoder encoder = new ImageEncoder(level, 0.9f);
            double[] a = clearedOnly ? new double[] {Double.NaN, Double.NaN} : measure(encoder, kept, runs);
            double[] b = measure(encoder, cleared, runs);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.2f | %.1f | %.2f |%n", level, a[0] / 1e6, a[1], b[0] / 1e6, b[1]);
        }
    }

    /** {total bytes, total seconds (sum of per-image medians)}. */
    private static double[] measure(ImageEncoder encoder, List<BufferedImage> images, int runs) throws Exception {
        double bytes = 0;
        double seconds = 0;
        for (BufferedImage image : images) {
            double[] times = new double[runs];
            for (int r = 0; r < runs; r++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                long start = System.nanoTime();
                encoder.encode(image, "png", out);
                times[r] = (System.nanoTime() - start) / 1e9;
                bytes = r == 0 ? bytes + out.size() : bytes;
            }
            Arrays.sort(times);
            seconds += times[runs / 2];
        }
        return new double[] {bytes, seconds};
    }

    private static BufferedImage clearInvisible(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                out.setRGB(x, y, (p >>> 24) == 0 ? 0 : p);
            }
        }
        return out;
    }

    /** The photo's colours under the cutout's alpha: a cutout as written before invisible colours were cleared. */
    private static BufferedImage withPhotoColours(Path cutoutFile, Path photos) {
        try {
            BufferedImage cutout = ImageIO.read(cutoutFile.toFile());
            String stem = cutoutFile.getFileName().toString().replaceAll("\\.png$", "");
            Path photo;
            try (Stream<Path> candidates = Files.list(photos)) {
                photo = candidates.filter(p -> p.getFileName().toString().replaceAll("\\.[^.]+$", "").equals(stem))
                        .findFirst().orElseThrow(() -> new IllegalStateException("no photo for " + stem));
            }
            BufferedImage rgb = new ImageDecoder(Long.MAX_VALUE).decode(photo);
            BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < rgb.getHeight(); y++) {
                for (int x = 0; x < rgb.getWidth(); x++) {
                    out.setRGB(x, y, (cutout.getRGB(x, y) & 0xFF000000) | (rgb.getRGB(x, y) & 0xFFFFFF));
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(cutoutFile + ": " + e.getMessage(), e);
        }
    }
}
