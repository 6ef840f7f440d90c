package io.mattepipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.app.DataLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mattepipe evaluate DIR}: the pipeline as a matting benchmark. Every {@code NAME.ext} with a
 * {@code NAME.alpha.png} beside it is scored against it; the means let two models or two settings
 * be compared on the same data.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Run the pipeline on a folder of images with ground truth (NAME.alpha.png beside NAME.ext) "
                + "and print the mean of each figure: IoU at 0.5, SAD/1000, MSE, gradient and connectivity error "
                + "(Rhemann et al., whole image, alpha in [0,1])."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image scored", "1:an error stopped the command", "2:some images failed",
                "64:bad usage"})
public final class EvaluateCommand implements Callable<Integer> {

    private static final List<String> FIGURES = List.of("iou", "sad", "mse", "grad", "conn");

    @Parameters(index = "0", paramLabel = "DIR")
    Path input;

    @Option(names = "--json", description = "Print one JSON object: {\"n\",\"iou\",\"sad\",\"mse\",\"grad\",\"conn\",\"failed\"}.")
    boolean json;

    @Option(names = "--model", paramLabel = "NAME|PATH[+...]", description = "A model or several joined by + "
            + "(their pixelwise maximum, e.g. isnet-fp16+u2netp). Default: setting matting.model.")
    String model;

    @Option(names = "--normalize", arity = "1", paramLabel = "true|false", description = "Min-max stretch the matte. Default: setting matting.normalize.")
    Boolean normalize;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the reports go. Default: ./evaluation")
    Path out = Path.of("evaluation");

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        if (model != null) {
            settings.put("matting.model", model);
        }
        if (normalize != null) {
            settings.put("matting.normalize", normalize.toString());
        }
        InputFolder.requireGroundTruth(input);
        Files.createDirectories(out);
        try (JobRunner runner = JobRunner.start(out.resolve(".mattepipe"), false, settings)) {
            Map<String, Object> job = runner.run(input, "batch", !json);
            String jobId = job.get("job_id").toString();
            Map<String, Object> means = means(runner.queries().tasks(jobId));
            DataLayout layout = runner.layout();
            for (String report : List.of("report.json", "report.csv", "report.html")) {
                Files.copy(layout.results(jobId).resolve(report), out.resolve(report), StandardCopyOption.REPLACE_EXISTING);
            }
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(means));
            } else {
                System.out.printf(Locale.ROOT, "%-8s %8s%n", "figure", "mean");
                for (Map.Entry<String, Object> entry : means.entrySet()) {
                    System.out.printf(Locale.ROOT, "%-8s %8s%n", entry.getKey(), entry.getValue());
                }
                System.out.println("reports: " + out.resolve("report.html"));
            }
            return ((Number) means.get("failed")).intValue() == 0 ? 0 : 2;
        }
    }

    /** Means over the completed tasks that had ground truth; n counts them. */
    static Map<String, Object> means(Iterator<Map<String, Object>> tasks) {
        double[] sums = new double[FIGURES.size()];
        int n = 0;
        int failed = 0;
        while (tasks.hasNext()) {
            Map<String, Object> task = tasks.next();
            if ("permanently_failed".equals(task.get("state"))) {
                failed++;
            } else if (task.get("iou") != null) {
                n++;
                for (int i = 0; i < FIGURES.size(); i++) {
                    sums[i] += ((Number) task.get(FIGURES.get(i))).doubleValue();
                }
            }
        }
        Map<String, Object> means = new LinkedHashMap<>();
        means.put("n", n);
        for (int i = 0; i < FIGURES.size(); i++) {
            means.put(FIGURES.get(i), n == 0 ? null : BenchCommand.round(sums[i] / n, 6));
        }
        means.put("failed", failed);
        return means;
    }
}
