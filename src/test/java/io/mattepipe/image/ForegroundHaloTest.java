package io.mattepipe.image;

import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The halo figures of BENCHMARKS.md, on real photos and measured mattes: the shared photos over each
 * other through each of the 19 shared ground-truth mattes, the cutout then put on white. Prints one
 * line per matte and the means:
 * {@code mvn -B -q test -Dtest=ForegroundHaloTest}.
 */
class ForegroundHaloTest {

    private static final List<String> PHOTOS = List.of("coffee.png", "chelsea_cat.png", "astronaut.png", "lemur.png", "ladybird.jpg");

    @Test
    void theEstimatedForegroundLeavesAtLeastFortyPercentLessHaloOnRealMattes() throws Exception {
        Path matting = TestPaths.sharedTestdata("matting");
        Path photos = TestPaths.sharedTestdata("photos");
        ImageDecoder decoder = new ImageDecoder(200_000_000);
        List<Path> pictures;
        try (Stream<Path> files = Files.list(matting)) {
            pictures = files.filter(p -> p.toString().endsWith(".png") && !p.toString().endsWith(".alpha.png")).sorted().toList();
        }
        ForegroundEstimator estimator = ForegroundEstimator.standard();
        double photoColours = 0;
        double estimated = 0;
        int i = 0;
        System.out.println("matte, foreground, background, soft pixels, error on white: photo colours, estimated");
        for (Path picture : pictures) {
            AlphaMatte matte = decoder.decodeMatte(matting.resolve(picture.getFileName().toString().replace(".png", ".alpha.png")));
            String foreground = PHOTOS.get(i % PHOTOS.size());
            String background = PHOTOS.get((i + 2) % PHOTOS.size());
            // the error, α·(F̂ − F), does not depend on the new background: white stands for any
            HaloMeasure halo = HaloMeasure.of(scaled(decoder.decode(photos.resolve(foreground)), matte), matte,
                    scaled(decoder.decode(photos.resolve(background)), matte), white(matte), estimator);
            System.out.printf(Locale.ROOT, "%s, %s, %s, %d, %.2f, %.2f%n", picture.getFileName(), foreground, background,
                    halo.softPixels(), halo.photoColours(), halo.estimatedColours());
            photoColours += halo.photoColours();
            estimated += halo.estimatedColours();
            i++;
        }
        double reduction = 1 - estimated / photoColours;
        System.out.printf(Locale.ROOT, "mean of %d: photo colours %.2f, estimated %.2f (%.0f %% less)%n",
                i, photoColours / i, estimated / i, 100 * reduction);
        assertTrue(reduction >= 0.4, "the halo is " + Math.round(100 * reduction) + " % less, not 40 %");
    }

    private static BufferedImage scaled(BufferedImage image, AlphaMatte size) {
        BufferedImage out = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, size.width(), size.height(), null);
        g.dispose();
        return out;
    }

    private static BufferedImage white(AlphaMatte size) {
        BufferedImage out = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
        Arrays.fill(HaloMeasure.pixels(out), 0xFFFFFF);
        return out;
    }
}
