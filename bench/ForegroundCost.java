import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.ForegroundEstimator;
import io.mattepipe.image.ImageDecoder;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The CPU time of the foreground estimate per photo, on the mattes a model predicted (the cutouts
 * `batch` wrote, whose alpha is the matte): thread CPU time, not wall time, so that a shared
 * machine's load does not count; the best of RUNS runs per photo.
 *
 *   mvn -q package -DskipTests
 *   java -Doutput.foreground-estimation=false -jar target/mattepipe.jar batch samples/photos /tmp/cutouts --model u2netp
 *   java -cp target/mattepipe.jar bench/ForegroundCost.java samples/photos /tmp/cutouts [RUNS]
 */
public class ForegroundCost {

    public static void main(String[] args) throws Exception {
        Path photos = Path.of(args[0]);
        Path cutouts = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ImageDecoder decoder = new ImageDecoder(200_000_000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Path> files;
        try (Stream<Path> list = Files.list(photos)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        double total = 0;
        for (Path photo : files) {
            String name = photo.getFileName().toString();
            Path cutout = cutouts.resolve(name.substring(0, name.lastIndexOf('.')) + ".png");
            if (!Files.isRegularFile(cutout)) {
                continue;
            }
            AlphaMatte matte = decoder.decodeMatte(cutout);
            int soft = 0;
            for (byte a : matte.values()) {
                soft += a != 0 && a != (byte) 255 ? 1 : 0;
            }
            long best = Long.MAX_VALUE;
            for (int run = 0; run < runs; run++) {
                BufferedImage rgb = decoder.decode(photo);
                long start = threads.getCurrentThreadCpuTime();
                ForegroundEstimator.standard().estimate(rgb, matte);
                best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
            }
            total += best / 1e6;
            System.out.printf(Locale.ROOT, "%-36s %5dx%-5d soft %5.1f %%  %7.1f ms%n", name, matte.width(), matte.height(),
                    100.0 * soft / matte.values().length, best / 1e6);
        }
        System.out.printf(Locale.ROOT, "total %.1f ms CPU%n", total);
    }
}
