package io.mattepipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.app.DataLayout;
import io.mattepipe.compare.ConfidenceRanking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
    /** What a matte must reach against its ground truth to count as right when the confidence's ranking is scored. */
    static final double BAD_BELOW_IOU = 0.8;
    private static final double[] THRESHOLDS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    @Parameters(index = "0", paramLabel = "DIR")
    Path input;

    @Option(names = "--json", description = "Print one JSON object: {\"n\",\"iou\",\"sad\",\"mse\",\"grad\",\"conn\",\"failed\","
            + "\"confidence\"}, the last with the ranking of the confidence: {\"bad_below_iou\",\"n\",\"bad\",\"auc\",\"thresholds\"}.")
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
            ConfidenceRanking ranking = ranking(runner.queries().tasks(jobId));
            double reviewThreshold = Double.parseDouble(runner.context().resolvePropertyPlaceholders("{{review.threshold}}"));
            DataLayout layout = runner.layout();
            for (String report : List.of("report.json", "report.csv", "report.html")) {
                Files.copy(layout.results(jobId).resolve(report), out.resolve(report), StandardCopyOption.REPLACE_EXISTING);
            }
            if (json) {
                Map<String, Object> answer = new LinkedHashMap<>(means);
                answer.put("confidence", rankingFigures(ranking));
                System.out.println(new ObjectMapper().writeValueAsString(answer));
            } else {
                System.out.printf(Locale.ROOT, "%-8s %8s%n", "figure", "mean");
                for (Map.Entry<String, Object> entry : means.entrySet()) {
                    System.out.printf(Locale.ROOT, "%-8s %8s%n", entry.getKey(), entry.getValue());
                }
                printRanking(ranking, reviewThreshold);
                System.out.println("reports: " + out.resolve("report.html"));
            }
            return ((Number) means.get("failed")).intValue() == 0 ? 0 : 2;
        }
    }

    /** The confidence against the IoU of every completed task that had ground truth. */
    static ConfidenceRanking ranking(Iterator<Map<String, Object>> tasks) {
        ConfidenceRanking ranking = new ConfidenceRanking(BAD_BELOW_IOU);
        while (tasks.hasNext()) {
            Map<String, Object> task = tasks.next();
            if (task.get("iou") instanceof Number iou && task.get("confidence") instanceof Number confidence) {
                ranking.add(confidence.doubleValue(), iou.doubleValue());
            }
        }
        return ranking;
    }

    static Map<String, Object> rankingFigures(ConfidenceRanking ranking) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bad_below_iou", ranking.badBelow());
        figures.put("n", ranking.count());
        figures.put("bad", ranking.bad());
        Double auc = ranking.auc();
        figures.put("auc", auc == null ? null : BenchCommand.round(auc, 4));
        List<Map<String, Object>> cuts = new ArrayList<>();
        for (double threshold : THRESHOLDS) {
            ConfidenceRanking.Cut cut = ranking.at(threshold);
            cuts.add(Map.of("threshold", threshold, "flagged", cut.flagged(), "caught", cut.caught()));
        }
        figures.put("thresholds", cuts);
        return figures;
    }

    private static void printRanking(ConfidenceRanking ranking, double reviewThreshold) {
        Double auc = ranking.auc();
        System.out.printf(Locale.ROOT, "%nconfidence: %d of %d images bad (IoU < %.2f); ROC AUC of low confidence for bad: %s%n",
                ranking.bad(), ranking.count(), ranking.badBelow(), auc == null ? "n/a (needs bad and good images)"
                        : String.format(Locale.ROOT, "%.3f", auc));
        System.out.printf(Locale.ROOT, "%-10s %8s %12s%n", "threshold", "flagged", "bad caught");
        for (double threshold : THRESHOLDS) {
            ConfidenceRanking.Cut cut = ranking.at(threshold);
            System.out.printf(Locale.ROOT, "%-10s %8d %7d of %d%s%n", String.format(Locale.ROOT, "%.1f", threshold),
                    cut.flagged(), cut.caught(), cut.bad(), Math.abs(threshold - reviewThreshold) < 1e-9 ? "  (review.threshold)" : "");
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
