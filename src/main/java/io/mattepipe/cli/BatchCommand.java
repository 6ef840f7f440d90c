package io.mattepipe.cli;

import io.mattepipe.app.DataLayout;
import io.mattepipe.app.Settings;
import io.mattepipe.app.TaskRenditions;
import io.mattepipe.image.IccProfiles;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.image.RenderOptions;
import io.mattepipe.image.Rendition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mattepipe batch IN_DIR OUT_DIR}: a folder through the service's own routes, like {@code rembg p}. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Remove the background of every image under IN_DIR (sub-folders kept) through the same routes "
                + "as the service: OUT_DIR/NAME.png (cutout), OUT_DIR/NAME_compare.jpg and the reports.",
                "Files named NAME.alpha.png are ground truth for NAME.*, not inputs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image completed", "1:an error stopped the command", "2:some images failed (listed)",
                "64:bad usage"})
public final class BatchCommand implements Callable<Integer> {

    /** How many of the cutouts under review.threshold are named at the end; report.csv has all. */
    private static final int SHOWN_TO_CHECK = 20;

    @Parameters(index = "0", paramLabel = "IN_DIR")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT_DIR")
    Path output;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the job's state and intermediate files live. Default: OUT_DIR/.mattepipe")
    Path dataDir;

    @Option(names = "--model", paramLabel = "NAME|PATH[+...]", description = "A model or several joined by + "
            + "(their pixelwise maximum, e.g. isnet-fp16+u2netp). Default: setting matting.model.")
    String model;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--render", paramLabel = "OPTIONS", description = "Each cutout rendered as the API's render does, "
            + "e.g. \"size=2000x2000&scale=85&position=bottom&format=webp\" or \"preset=shop\": OUT_DIR/NAME.EXT instead of NAME.png.")
    String render;

    @Override
    public Integer call() throws Exception {
        InputFolder.requireImages(input);
        RenderOptions rendition = renderOptions();
        Files.createDirectories(output);
        Map<String, String> settings = model == null ? Map.of() : Map.of("matting.model", model);
        long start = System.nanoTime();
        try (JobRunner runner = JobRunner.start(dataDir != null ? dataDir : output.resolve(".mattepipe"), false, settings)) {
            Map<String, Object> job = runner.run(input, "batch", !quiet);
            double threshold = Double.parseDouble(runner.context().resolvePropertyPlaceholders("{{review.threshold}}"));
            CheckFirst checkFirst = new CheckFirst(threshold, SHOWN_TO_CHECK);
            List<String> failed = export(runner, job.get("job_id").toString(), checkFirst, rendition);
            double seconds = (System.nanoTime() - start) / 1e9;
            long total = ((Number) job.get("total")).longValue();
            System.err.printf("%d images in %.1f s (%.2f images/s): %d completed, %d failed; results in %s%n",
                    total, seconds, total / seconds, total - failed.size(), failed.size(), output);
            failed.forEach(line -> System.err.println("  failed: " + line));
            checkFirst.print(System.err);
            return failed.isEmpty() ? 0 : 2;
        }
    }

    /** {@code --render}'s options, checked before the model loads; null without it. */
    private RenderOptions renderOptions() {
        if (render == null) {
            return null;
        }
        Settings settings = Settings.load();
        try {
            return RenderOptions.fromQuery(TaskRenditions.parameters(render),
                    RenderOptions.presets(settings.get("render.presets"), key -> settingOrNull(settings, key)), List.of());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--render: " + e.getMessage());
        }
    }

    private static String settingOrNull(Settings settings, String key) {
        try {
            return settings.get(key);
        } catch (IllegalArgumentException missing) {
            return null;
        }
    }

    /**
     * Links (or copies) each result under its image's name, or renders it with {@code rendition};
     * returns "name: error" of the failed ones.
     */
    private List<String> export(JobRunner runner, String jobId, CheckFirst checkFirst, RenderOptions rendition)
            throws IOException {
        Settings settings = Settings.load();
        ImageEncoder encoder = new ImageEncoder(settings.getInt("output.png-compression"),
                Float.parseFloat(settings.get("output.jpeg-quality")), Boolean.parseBoolean(settings.get("output.webp-lossless")),
                Float.parseFloat(settings.get("output.webp-quality")));
        DataLayout layout = runner.layout();
        List<String> failed = new ArrayList<>();
        for (Iterator<Map<String, Object>> tasks = runner.queries().tasks(jobId); tasks.hasNext(); ) {
            Map<String, Object> task = tasks.next();
            String taskId = task.get("task_id").toString();
            String name = task.get("output_name").toString();
            if (!"completed".equals(task.get("state"))) {
                failed.add(task.get("name") + ": " + task.get("error"));
                continue;
            }
            checkFirst.offer(task);
            if (rendition == null) {
                place(layout.cutout(jobId, taskId), output.resolve(name + ".png"));
            } else {
                render(layout.cutout(jobId, taskId), rendition, encoder, output.resolve(name + "." + rendition.extension()));
            }
            place(layout.panel(jobId, taskId), output.resolve(name + "_compare.jpg"));
        }
        for (String report : List.of("report.json", "report.csv", "report.html")) {
            place(layout.results(jobId).resolve(report), output.resolve(report));
        }
        return failed;
    }

    /** The cutout rendered as {@code GET .../render} renders it, in the photo's own colour profile. */
    private static void render(Path cutout, RenderOptions rendition, ImageEncoder encoder, Path to) throws IOException {
        byte[] profile = IccProfiles.read(cutout);
        encoder.write(Rendition.render(ImageIO.read(cutout.toFile()), rendition, profile), rendition.format(), to, profile);
    }

    private static void place(Path from, Path to) throws IOException {
        Files.createDirectories(to.toAbsolutePath().getParent());
        Files.deleteIfExists(to);
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException otherFileSystem) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
