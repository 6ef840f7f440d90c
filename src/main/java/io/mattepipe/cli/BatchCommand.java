package io.mattepipe.cli;

import io.mattepipe.app.DataLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Override
    public Integer call() throws Exception {
        InputFolder.requireImages(input);
        Files.createDirectories(output);
        Map<String, String> settings = model == null ? Map.of() : Map.of("matting.model", model);
        long start = System.nanoTime();
        try (JobRunner runner = JobRunner.start(dataDir != null ? dataDir : output.resolve(".mattepipe"), false, settings)) {
            Map<String, Object> job = runner.run(input, "batch", !quiet);
            double threshold = Double.parseDouble(runner.context().resolvePropertyPlaceholders("{{review.threshold}}"));
            CheckFirst checkFirst = new CheckFirst(threshold, SHOWN_TO_CHECK);
            List<String> failed = export(runner, job.get("job_id").toString(), checkFirst);
            double seconds = (System.nanoTime() - start) / 1e9;
            long total = ((Number) job.get("total")).longValue();
            System.err.printf("%d images in %.1f s (%.2f images/s): %d completed, %d failed; results in %s%n",
                    total, seconds, total / seconds, total - failed.size(), failed.size(), output);
            failed.forEach(line -> System.err.println("  failed: " + line));
            checkFirst.print(System.err);
            return failed.isEmpty() ? 0 : 2;
        }
    }

    /** Links (or copies) each result under its image's name; returns "name: error" of the failed ones. */
    private List<String> export(JobRunner runner, String jobId, CheckFirst checkFirst) throws IOException {
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
            place(layout.cutout(jobId, taskId), output.resolve(name + ".png"));
            place(layout.panel(jobId, taskId), output.resolve(name + "_compare.jpg"));
        }
        for (String report : List.of("report.json", "report.csv", "report.html")) {
            place(layout.results(jobId).resolve(report), output.resolve(report));
        }
        return failed;
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
